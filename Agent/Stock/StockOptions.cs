using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Stock;

/// <summary><c>Stock</c>: demand learning, stock-out prediction and forecasts (docs/stock.md).</summary>
public sealed class StockOptions
{
    /// <summary>The file name of the learned demand when <see cref="DemandPath"/> is not set: beside the buffer file.</summary>
    public const string DefaultDemandFileName = "demand.json";

    /// <summary><c>Stock:PredictHorizonMinutes</c>: the most warning predicted-empty gives (selling time), and the forecasts' probEmpty horizon.</summary>
    public int PredictHorizonMinutes { get; set; } = 180;

    /// <summary><c>Stock:PredictConfidence</c>: P(empty within the horizon) that raises <c>predicted-empty</c>.</summary>
    public double PredictConfidence { get; set; } = 0.8;

    /// <summary><c>Stock:ForecastIntervalMinutes</c>: how often <c>shelf.forecast.v1</c> is published.</summary>
    public int ForecastIntervalMinutes { get; set; } = 15;

    /// <summary>
    /// <c>Stock:DemandPath</c>: the file holding the demand learned on the device (kept across restarts). When unset,
    /// <c>demand.json</c> in <c>Buffer:Path</c>'s directory (/var/lib/shelf-agent/demand.json with the default buffer).
    /// </summary>
    public string? DemandPath { get; set; }

    /// <summary>The learned-demand file: <see cref="DemandPath"/>, or demand.json beside <paramref name="bufferPath"/>.</summary>
    public string DemandFile(string bufferPath)
        => DemandPath ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(bufferPath)) ?? ".", DefaultDemandFileName);

    /// <summary><c>Stock:ProfilesPath</c>: cloud-trained <c>shelf.profile.v1</c> documents (JSON lines); none when unset.</summary>
    public string? ProfilesPath { get; set; }

    /// <summary>The profiles read from <see cref="ProfilesPath"/> while validating (empty when unset).</summary>
    public IReadOnlyList<DemandProfile> Profiles { get; set; } = [];

    /// <summary>
    /// The profiles accepted as shadow desired state (<c>DemandProfiles:&lt;SlotId&gt;</c>) by slot id; they are also in
    /// <see cref="Profiles"/>, ahead of the file's.
    /// </summary>
    public IReadOnlyDictionary<string, DemandProfile> RemoteProfiles { get; set; } = new Dictionary<string, DemandProfile>();

    /// <summary>The pure logic's view of these keys.</summary>
    public ForecastSettings Settings => new(TimeSpan.FromMinutes(PredictHorizonMinutes), PredictConfidence, TimeSpan.FromMinutes(ForecastIntervalMinutes));
}

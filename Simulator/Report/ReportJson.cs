using System.Text.Json;
using System.Text.Json.Serialization;

namespace ShelfAgent.Simulator.Report;

/// <summary>report.json: the <see cref="FleetReport"/> in snake_case, schema <c>shelf.sim.report.v1</c>.</summary>
public static class ReportJson
{
    public const string Schema = "shelf.sim.report.v1";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Serialize(FleetReport report) => JsonSerializer.Serialize(report, Options);

    public static FleetReport? Deserialize(string json) => JsonSerializer.Deserialize<FleetReport>(json, Options);
}

using System.Text.Json.Nodes;

namespace ShelfAgent.Config.Runtime;

/// <summary>
/// The keys a device accepts from the shadow's desired state and from <c>config-update</c> jobs (issue 14: slot
/// settings, <c>Sampling:IntervalMs</c>, <c>Publish:IntervalMs</c>, <c>Stock:*</c>). File paths
/// (<c>Stock:DemandPath</c>, <c>Stock:ProfilesPath</c>) stay in agent.json: a remote party must not choose where the
/// agent writes or what it reads. Everything else (broker, certificates, sensors) needs agent.json and a restart.
/// </summary>
public static class RemoteConfigKeys
{
    /// <summary>Section keys settable remotely, in their canonical spelling.</summary>
    public static IReadOnlyList<string> Plain { get; } =
    [
        "Sampling:IntervalMs",
        "Publish:IntervalMs",
        "Stock:PredictHorizonMinutes",
        "Stock:PredictConfidence",
        "Stock:ForecastIntervalMinutes",
    ];

    /// <summary>
    /// The section of desired demand profiles by slot id (<c>DemandProfiles:&lt;Id&gt;</c>, a
    /// <see cref="Contract.DesiredDemandProfile"/> entry each; docs/shadow.md).
    /// </summary>
    public const string DemandProfiles = "DemandProfiles";

    /// <summary>Per-slot keys settable remotely (<c>Slots:&lt;Id&gt;:&lt;name&gt;</c>).</summary>
    public static IReadOnlyList<string> SlotSettings { get; } = ["Sku", "UnitGrams", "TareGrams", "Capacity", "LowStockAt"];

    /// <summary>The canonical spelling of a plain key, or null when it is not settable remotely.</summary>
    public static string? Canonical(string key)
        => Plain.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>The canonical spelling of a slot setting, or null.</summary>
    public static string? CanonicalSlotSetting(string name)
        => SlotSettings.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>For a refusal: what can be set.</summary>
    public static string Settable
        => $"settable remotely: {string.Join(", ", Plain)}, Slots:<Id>:{{{string.Join("|", SlotSettings)}}}, {DemandProfiles}:<Id>; " +
           "anything else only in agent.json";

    /// <summary>
    /// The effective values of every settable key in agent.json's shape, slots keyed by id — what the shadow reports,
    /// so that a desired value once accepted equals the reported one and the delta is cleared.
    /// </summary>
    public static JsonObject Effective(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var slots = new JsonObject();
        foreach (var s in options.Slots)
        {
            slots[s.Id] = new JsonObject
            {
                ["Sku"] = s.Sku,
                ["UnitGrams"] = s.UnitGrams,
                ["TareGrams"] = s.TareGrams,
                ["Capacity"] = s.Capacity,
                ["LowStockAt"] = s.LowStockAt,
            };
        }

        // Reported per slot: the profile's hash and hours, not the numbers (8 KB); names unlike the desired entry's
        // fields, so AWS's delta always carries a changed entry whole.
        var profiles = new JsonObject();
        foreach (var s in options.Slots)
        {
            profiles[s.Id] = options.Stock.RemoteProfiles.TryGetValue(s.Id, out var p)
                ? new JsonObject { ["hash"] = Contract.DesiredDemandProfile.Hash(p), ["hours"] = Contract.DesiredDemandProfile.Hours(p) }
                : null;
        }

        return new JsonObject
        {
            ["Sampling"] = new JsonObject { ["IntervalMs"] = options.Sampling.IntervalMs },
            ["Publish"] = new JsonObject { ["IntervalMs"] = options.Publish.IntervalMs },
            ["Stock"] = new JsonObject
            {
                ["PredictHorizonMinutes"] = options.Stock.PredictHorizonMinutes,
                ["PredictConfidence"] = options.Stock.PredictConfidence,
                ["ForecastIntervalMinutes"] = options.Stock.ForecastIntervalMinutes,
            },
            ["Slots"] = slots,
            [DemandProfiles] = profiles,
        };
    }
}

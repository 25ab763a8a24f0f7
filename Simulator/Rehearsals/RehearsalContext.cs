using ShelfAgent.Simulator.Scale;

namespace ShelfAgent.Simulator.Rehearsals;

/// <summary>What a rehearsal works on: the running fleet, its broker (and local IoT Core), its counters.</summary>
public sealed record RehearsalContext(
    FleetOptions Fleet,
    FleetBroker Broker,
    IReadOnlyList<VirtualDevice> Devices,
    FleetMetrics Metrics,
    FleetSampler Sampler,
    TextWriter Output,
    ConnectRate ConnectRate)
{
    /// <summary>How long a rehearsal waits for the fleet before it reports what it got.</summary>
    public TimeSpan Bound { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The seconds at which 50, 90, 99 and 100 % of the things were done (null: not reached).</summary>
    public static Dictionary<string, double?> Milestones(IReadOnlyList<CurvePoint> curve, string what) => new(StringComparer.Ordinal)
    {
        [$"seconds_to_50pct_{what}"] = curve.FirstOrDefault(p => p.Percent >= 50)?.Seconds,
        [$"seconds_to_90pct_{what}"] = curve.FirstOrDefault(p => p.Percent >= 90)?.Seconds,
        [$"seconds_to_99pct_{what}"] = curve.FirstOrDefault(p => p.Percent >= 99)?.Seconds,
        [$"seconds_to_100pct_{what}"] = curve.FirstOrDefault(p => p.Percent >= 100)?.Seconds,
    };

    public static string Seconds(double? s) => s is { } v ? $"{v:0.0} s" : "not reached";
}

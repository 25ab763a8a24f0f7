namespace ShelfAgent.Simulator;

/// <summary>What the simulator runs: how many stores and devices, against which broker, how fast.</summary>
public sealed record FleetOptions
{
    public int Stores { get; init; } = 5;

    public int DevicesPerStore { get; init; } = 1;

    public int SlotsPerDevice { get; init; } = 6;

    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 8883;

    /// <summary>Folder with ca.crt and ca.key (from <c>shelf-agent dev-certs</c>): each virtual device gets its own certificate from that CA.</summary>
    public string CertsDirectory { get; init; } = ".dev/certs";

    public string WorkDirectory { get; init; } = ".dev/sim";

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Shop seconds per real second (60: a shop hour per real minute).</summary>
    public double TimeScale { get; init; } = 60;

    /// <summary>Shop start time (sales follow the hour of day from here).</summary>
    public DateTimeOffset ShopStart { get; init; } = new(2026, 11, 23, 7, 0, 0, TimeSpan.Zero);

    public int SamplingMs { get; init; } = 5000;

    public int PublishMs { get; init; } = 1000;

    /// <summary>Chance that one sensor read fails, per read.</summary>
    public double FaultProbability { get; init; } = 0.005;

    /// <summary>Apply AWS IoT's per-connection limits (100 publishes/s, 512 KB/s); off for a local broker load test.</summary>
    public bool AwsLimits { get; init; }

    public int Seed { get; init; } = 42;

    /// <summary>Log every simulated sensor fault (--verbose) instead of a summary per kind at the end.</summary>
    public bool LogEveryFault { get; init; }
}

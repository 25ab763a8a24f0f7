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

    /// <summary>
    /// --readings: every device's <c>Publish:Readings</c>. All (the simulator's default) publishes every sample, so a fleet loads
    /// the broker at full rate; summaries is the agent's shipped default (one reading per slot per minute), what a store's
    /// devices really send; sampling runs through the pipeline at the same rate either way.
    /// </summary>
    public Stock.PublishedReadings Readings { get; init; } = Stock.PublishedReadings.All;

    /// <summary>Chance that one sensor read fails, per read.</summary>
    public double FaultProbability { get; init; } = 0.005;

    /// <summary>Apply AWS IoT's per-connection limits (100 publishes/s, 512 KB/s); off for a local broker load test.</summary>
    public bool AwsLimits { get; init; }

    public int Seed { get; init; } = 42;

    /// <summary>Log every simulated sensor fault (--verbose) instead of a summary per kind at the end.</summary>
    public bool LogEveryFault { get; init; }

    /// <summary>--connect-rate: CONNECT attempts per second for the whole fleet (first connects and reconnects); 0 = unlimited.</summary>
    public double ConnectRate { get; init; } = 100;

    /// <summary>--shard i/n: the part of the fleet this process runs.</summary>
    public Scale.ShardSpec Shard { get; init; } = Scale.ShardSpec.Whole;

    /// <summary>--broker: an external broker, a mosquitto of our own, or the local AWS IoT Core.</summary>
    public Scale.BrokerMode Broker { get; init; } = Scale.BrokerMode.External;

    /// <summary>--i-mean-aws: allows a real AWS IoT endpoint as --host (never in tests).</summary>
    public bool IMeanAws { get; init; }

    /// <summary>--outbox memory: each device's outbox a MemoryOutbox (managed lists, no SQLite, no files); file: a file per device as the agent has.</summary>
    public bool InMemoryOutbox { get; init; }

    public int KeepAliveSeconds { get; init; } = 60;

    /// <summary>Shadow:Enabled of every device (on against the local IoT Core).</summary>
    public bool Shadow { get; init; }

    /// <summary>--no-dashboard: plain progress lines every 10 s instead of the live terminal dashboard.</summary>
    public bool Dashboard { get; init; }

    /// <summary>--report DIR: report.json and report.html written there at the end; null: none.</summary>
    public string? ReportDirectory { get; init; }

    /// <summary>Fault injection: what goes wrong, and when.</summary>
    public Scale.FaultPlan Faults { get; init; } = new();

    /// <summary>--rehearse: the fleet-wide rehearsals to run, in order (reconnect-storm, shadow, job).</summary>
    public IReadOnlyList<string> Rehearsals { get; init; } = [];

    /// <summary>--job-document: the job the job rollout sends to every thing (any document; default a config-update).</summary>
    public string JobDocument { get; init; } = ShelfAgent.Simulator.Rehearsals.JobRollout.DefaultDocument;

    /// <summary>--stop-hosts-at-once: how many devices' hosts stop side by side at the end of a run (each timed from its own stop).</summary>
    public int StopHostsAtOnce { get; init; } = Scale.FleetStop.DefaultAtOnce;

    /// <summary>--outage-seconds: how long the reconnect storm (and --broker-restart-at) keeps the broker down.</summary>
    public TimeSpan Outage { get; init; } = TimeSpan.FromSeconds(30);
}

using System.CommandLine;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;
using ShelfAgent.Simulator;
using ShelfAgent.Simulator.Scale;

var stores = new Option<int>("--stores") { Description = "Virtual stores", DefaultValueFactory = _ => 5 };
var perStore = new Option<int>("--devices-per-store") { Description = "Shelf devices per store", DefaultValueFactory = _ => 1 };
var slots = new Option<int>("--slots") { Description = "Slots per device", DefaultValueFactory = _ => 6 };
var host = new Option<string>("--host")
{
    Description = "Broker host: 127.0.0.1, ::1 or localhost (an AWS IoT endpoint only with --i-mean-aws; nothing else)",
    DefaultValueFactory = _ => "localhost",
};
var port = new Option<int>("--port") { Description = "Broker port", DefaultValueFactory = _ => 8883 };
var certs = new Option<string>("--certs")
{
    Description = "Folder with ca.crt + ca.key from 'shelf-agent dev-certs'; each device gets a certificate from it",
    DefaultValueFactory = _ => ".dev/certs",
};
var work = new Option<string>("--work-dir") { Description = "Where device buffers and certificates go", DefaultValueFactory = _ => ".dev/sim" };
var seconds = new Option<int>("--seconds") { Description = "How long to run (real seconds); --duration says the same", DefaultValueFactory = _ => 60 };
var duration = new Option<string?>("--duration") { Description = "How long to run: 90, 90s, 15m or 1h (overrides --seconds)" };
var connectRate = new Option<double>("--connect-rate")
{
    Description = "CONNECT attempts per second for the whole fleet, first connects and reconnects alike (AWS's account default is 500); 0: unlimited",
    DefaultValueFactory = _ => 100,
};
var shard = new Option<string?>("--shard") { Description = "i/n: run part i (0-based) of n of the fleet, so n machines split it without overlap" };
var shardEnv = new Option<string?>("--shard-index-from-env")
{
    Description = "Take the shard index from this variable (a Kubernetes Indexed Job's JOB_COMPLETION_INDEX); --shard gives n",
};
var broker = new Option<BrokerMode>("--broker")
{
    Description = "external (--host/--port, --certs), mosquitto (one of its own, per-thing ACL) or local-iot-core (shadows, jobs, rehearsals)",
    DefaultValueFactory = _ => BrokerMode.External,
    CustomParser = r => r.Tokens.Single().Value.Replace("-", "", StringComparison.Ordinal) switch
    {
        var v when Enum.TryParse<BrokerMode>(v, true, out var m) => m,
        _ => throw new ArgumentException("--broker is external, mosquitto or local-iot-core"),
    },
};
var iMeanAws = new Option<bool>("--i-mean-aws") { Description = "Allow a real AWS IoT endpoint as --host (costs money, uses the account's quotas)" };
var outbox = new Option<string>("--outbox")
{
    Description = "memory (each device's outbox in managed memory: no files) or file (a file per device, as the agent); auto: file up to 1,000 devices",
    DefaultValueFactory = _ => "auto",
};
outbox.AcceptOnlyFromAmong("auto", "memory", "file");
var readings = new Option<string>("--readings")
{
    Description = "all (every sample: the broker at full rate) or summaries (the agent's shipped default: one reading per slot per minute)",
    DefaultValueFactory = _ => "all",
};
readings.AcceptOnlyFromAmong("all", "summaries");
var noDashboard = new Option<bool>("--no-dashboard") { Description = "No live dashboard: a plain progress line every 10 s (CI, pipes)" };
var report = new Option<string?>("--report") { Description = "Write report.json and report.html (charts) into this folder at the end" };
var rehearse = new Option<string[]>("--rehearse")
{
    Description = "Rehearsals, in order: reconnect-storm, shadow, job (shadow and job need --broker local-iot-core)",
    AllowMultipleArgumentsPerToken = true,
};
var jobDocument = new Option<string?>("--job-document") { Description = "The job rollout's document: JSON, or @file (default: a config-update)" };
var outage = new Option<int>("--outage-seconds")
{
    Description = "How long the broker stays down in a reconnect storm or --broker-restart-at",
    DefaultValueFactory = _ => 30,
};
var restartAt = new Option<double?>("--broker-restart-at") { Description = "Fault: stop the simulator's own broker this many seconds into the run" };
var dropoutFraction = new Option<double>("--dropout-fraction", "--fault-dropout")
{
    Description = "Fault: share of devices whose network drops out (their connections reset, reconnects refused) for --dropout-seconds",
};
var dropoutAt = new Option<double>("--dropout-at") { Description = "When their network drops (seconds into the run)", DefaultValueFactory = _ => 20 };
var dropoutSeconds = new Option<double>("--dropout-seconds") { Description = "How long their network stays down", DefaultValueFactory = _ => 30 };
var skewFraction = new Option<double>("--clock-skew-fraction") { Description = "Fault: share of devices whose clock is wrong" };
var skewSeconds = new Option<double>("--clock-skew-seconds")
{
    Description = "How wrong those clocks are (seconds, may be negative)",
    DefaultValueFactory = _ => 600,
};
var noRtcFraction = new Option<double>("--no-rtc-fraction") { Description = "Fault: share of devices without a real-time clock (time never trusted)" };
var keepAlive = new Option<int>("--keep-alive") { Description = "MQTT keep-alive of every device (seconds)", DefaultValueFactory = _ => 60 };
var scale = new Option<double>("--time-scale") { Description = "Shop seconds per real second", DefaultValueFactory = _ => 60 };
var sampling = new Option<int>("--sampling-ms") { Description = "Sampling interval in shop milliseconds", DefaultValueFactory = _ => 5000 };
var faults = new Option<double>("--fault-probability") { Description = "Chance that one sensor read fails", DefaultValueFactory = _ => 0.005 };
var aws = new Option<bool>("--aws-limits") { Description = "Apply AWS IoT's per-connection limits (100 publishes/s, 512 KB/s)" };
var verbose = new Option<bool>("--verbose") { Description = "Log every device's connection events" };
var stopAtOnce = new Option<int>("--stop-hosts-at-once")
{
    Description = "At the end, how many devices' hosts stop side by side (each has the agent's 10 s shutdown timeout from its own stop)",
    DefaultValueFactory = _ => FleetStop.DefaultAtOnce,
};

var root = new RootCommand("shelf-sim: a fleet of virtual stores and shelves, each running ShelfAgent's own pipeline against a broker, for load tests.")
{
    stores, perStore, slots, host, port, certs, work, seconds, duration, scale, sampling, faults, aws, verbose, connectRate, shard, shardEnv, broker,
    iMeanAws, outbox, readings, noDashboard, report, rehearse, jobDocument, outage, restartAt, skewFraction, skewSeconds, noRtcFraction, keepAlive,
    dropoutFraction, dropoutAt, dropoutSeconds, stopAtOnce,
};
root.SetAction(async (parse, cancellationToken) =>
{
    await using var log = new LoggerConfiguration()
        .MinimumLevel.Is(parse.GetValue(verbose) ? LogEventLevel.Information : LogEventLevel.Warning)
        .WriteTo.Console(
            outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {ThingName}: {Message:lj}{NewLine}{Exception}",
            formatProvider: System.Globalization.CultureInfo.InvariantCulture)
        .CreateLogger();
    using var loggers = new SerilogLoggerFactory(log);
    var output = parse.InvocationConfiguration.Output;
    var shardSpec = ShardSpec.Parse(parse.GetValue(shard), parse.GetValue(shardEnv), Environment.GetEnvironmentVariable, out var shardProblem);
    var runFor = SimArguments.Duration(parse.GetValue(duration), parse.GetValue(seconds), out var durationProblem);
    var rehearsals = (parse.GetValue(rehearse) ?? [])
        .SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
    var unknown = rehearsals.FirstOrDefault(r => r is not ("reconnect-storm" or "shadow" or "job"));
    if (shardSpec is null || runFor is null || unknown is not null)
    {
        var problem = shardProblem ?? durationProblem ?? $"--rehearse: unknown rehearsal '{unknown}' (reconnect-storm, shadow, job)";
        await output.WriteLineAsync($"shelf-sim: {problem}");
        return 64;
    }

    var jobText = parse.GetValue(jobDocument) is { } j ? (j.StartsWith('@') ? await File.ReadAllTextAsync(j[1..], cancellationToken) : j) : null;
    var brokerMode = parse.GetValue(broker);
    var total = parse.GetValue(stores) * parse.GetValue(perStore);
    var fleet = new FleetOptions
    {
        Stores = parse.GetValue(stores),
        DevicesPerStore = parse.GetValue(perStore),
        SlotsPerDevice = parse.GetValue(slots),
        Host = parse.GetValue(host)!,
        Port = parse.GetValue(port),
        CertsDirectory = parse.GetValue(certs)!,
        WorkDirectory = parse.GetValue(work)!,
        Duration = runFor.Value,
        TimeScale = parse.GetValue(scale),
        SamplingMs = parse.GetValue(sampling),
        FaultProbability = parse.GetValue(faults),
        AwsLimits = parse.GetValue(aws),
        LogEveryFault = parse.GetValue(verbose),
        ConnectRate = parse.GetValue(connectRate),
        Shard = shardSpec,
        Broker = brokerMode,
        IMeanAws = parse.GetValue(iMeanAws),
        InMemoryOutbox = parse.GetValue(outbox) switch { "memory" => true, "file" => false, _ => total / shardSpec.Count > 1_000 },
        Readings = parse.GetValue(readings) == "summaries" ? ShelfAgent.Stock.PublishedReadings.Summaries : ShelfAgent.Stock.PublishedReadings.All,
        KeepAliveSeconds = parse.GetValue(keepAlive),
        Shadow = brokerMode == BrokerMode.LocalIotCore,
        Dashboard = !parse.GetValue(noDashboard),
        ReportDirectory = parse.GetValue(report),
        Rehearsals = rehearsals,
        JobDocument = jobText ?? ShelfAgent.Simulator.Rehearsals.JobRollout.DefaultDocument,
        Outage = TimeSpan.FromSeconds(parse.GetValue(outage)),
        StopHostsAtOnce = Math.Max(1, parse.GetValue(stopAtOnce)),
        Faults = new FaultPlan
        {
            BrokerRestartAt = parse.GetValue(restartAt),
            DropoutFraction = parse.GetValue(dropoutFraction),
            DropoutAt = parse.GetValue(dropoutAt),
            DropoutDuration = TimeSpan.FromSeconds(parse.GetValue(dropoutSeconds)),
            ClockSkewFraction = parse.GetValue(skewFraction),
            ClockSkew = TimeSpan.FromSeconds(parse.GetValue(skewSeconds)),
            NoRtcFraction = parse.GetValue(noRtcFraction),
        },
    };
    return await Fleet.RunAsync(fleet, loggers, output, cancellationToken);
});
root.Subcommands.Add(ShelfAgent.Simulator.Traces.TracesCommand.Create());
return await root.Parse(args).InvokeAsync();

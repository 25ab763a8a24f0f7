using System.CommandLine;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;
using ShelfAgent.Simulator;

var stores = new Option<int>("--stores") { Description = "Virtual stores", DefaultValueFactory = _ => 5 };
var perStore = new Option<int>("--devices-per-store") { Description = "Shelf devices per store", DefaultValueFactory = _ => 1 };
var slots = new Option<int>("--slots") { Description = "Slots per device", DefaultValueFactory = _ => 6 };
var host = new Option<string>("--host") { Description = "Broker host (a local mosquitto: 127.0.0.1 or localhost)", DefaultValueFactory = _ => "localhost" };
var port = new Option<int>("--port") { Description = "Broker port", DefaultValueFactory = _ => 8883 };
var certs = new Option<string>("--certs")
{
    Description = "Folder with ca.crt + ca.key from 'shelf-agent dev-certs'; each device gets a certificate from it",
    DefaultValueFactory = _ => ".dev/certs",
};
var work = new Option<string>("--work-dir") { Description = "Where device buffers and certificates go", DefaultValueFactory = _ => ".dev/sim" };
var duration = new Option<int>("--seconds") { Description = "How long to run (real seconds)", DefaultValueFactory = _ => 60 };
var scale = new Option<double>("--time-scale") { Description = "Shop seconds per real second", DefaultValueFactory = _ => 60 };
var sampling = new Option<int>("--sampling-ms") { Description = "Sampling interval in shop milliseconds", DefaultValueFactory = _ => 5000 };
var faults = new Option<double>("--fault-probability") { Description = "Chance that one sensor read fails", DefaultValueFactory = _ => 0.005 };
var aws = new Option<bool>("--aws-limits") { Description = "Apply AWS IoT's per-connection limits (100 publishes/s, 512 KB/s)" };
var verbose = new Option<bool>("--verbose") { Description = "Log every device's connection events" };

var root = new RootCommand("shelf-sim: a fleet of virtual stores and shelves, each running ShelfAgent's own pipeline against a broker, for load tests.")
{
    stores, perStore, slots, host, port, certs, work, duration, scale, sampling, faults, aws, verbose,
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
    var fleet = new FleetOptions
    {
        Stores = parse.GetValue(stores),
        DevicesPerStore = parse.GetValue(perStore),
        SlotsPerDevice = parse.GetValue(slots),
        Host = parse.GetValue(host)!,
        Port = parse.GetValue(port),
        CertsDirectory = parse.GetValue(certs)!,
        WorkDirectory = parse.GetValue(work)!,
        Duration = TimeSpan.FromSeconds(parse.GetValue(duration)),
        TimeScale = parse.GetValue(scale),
        SamplingMs = parse.GetValue(sampling),
        FaultProbability = parse.GetValue(faults),
        AwsLimits = parse.GetValue(aws),
        LogEveryFault = parse.GetValue(verbose),
    };
    return await Fleet.RunAsync(fleet, loggers, parse.InvocationConfiguration.Output, cancellationToken);
});
root.Subcommands.Add(ShelfAgent.Simulator.Traces.TracesCommand.Create());
return await root.Parse(args).InvokeAsync();

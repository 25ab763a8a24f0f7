using System.CommandLine;
using ShelfAgent.Bench;
using ShelfAgent.Bench.Mqtt;

// `dotnet run -c Release --project Bench -- <name> [options]`; `--help` lists the benchmarks, `<name> --help` their
// options. Add a command (and your own file) for a new benchmark. Figures are recorded in docs/benchmarks.md with the
// command that produced them. Never run by the tests.
var root = new RootCommand("shelf-bench: ShelfAgent's benchmarks; each prints its figures (docs/benchmarks.md)")
{
    MqttBenchmark.Create(),
    MqttBenchPublisher.Create(),
    MqttBenchmark.PayloadCommand(),
    OutboxIngestBench.Create(),
    OutboxDrainBench.Create(),
    TelemetrySizeBench.Create(),
    BrokerDrainBench.Create(),
    ForecastBench.Create(),
    MessageSizes.Create(),
};
return await root.Parse(args).InvokeAsync();

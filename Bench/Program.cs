using ShelfAgent.Bench;
using ShelfAgent.Bench.Mqtt;

// `dotnet run -c Release --project Bench -- <name> [args]`. Add an entry (and your own file) for a new benchmark.
// Figures are recorded in docs/benchmarks.md with the command that produced them. Never run by the tests.
var commands = new Dictionary<string, Func<string[], Task<int>>>(StringComparer.Ordinal)
{
    ["mqtt"] = MqttBenchmark.RunAsync,
    ["mqtt-publisher"] = MqttBenchPublisher.RunAsync, // child process used by "mqtt" (measured on its own)
    ["mqtt-payload"] = a => { Console.WriteLine(System.Text.Encoding.ASCII.GetString(MqttBenchmark.Payload(int.Parse(a[0], System.Globalization.CultureInfo.InvariantCulture)))); return Task.FromResult(0); },
    ["outbox-ingest"] = OutboxIngestBench.RunAsync,
    ["outbox-drain"] = OutboxDrainBench.RunAsync,
    ["telemetry-size"] = TelemetrySizeBench.RunAsync,
    ["drain"] = BrokerDrainBench.RunAsync,
    ["forecast"] = ForecastBench.RunAsync,
};

if (args.Length == 0 || !commands.TryGetValue(args[0], out var command))
{
    Console.Error.WriteLine($"usage: shelf-bench <{string.Join('|', commands.Keys)}> [args]");
    return 64;
}

return await command(args[1..]);

using ShelfAgent.Bench;

// Benchmarks by name; each returns an exit code. Figures are recorded in docs/benchmarks.md.
var benches = new Dictionary<string, Func<string[], Task<int>>>(StringComparer.OrdinalIgnoreCase)
{
    ["outbox-ingest"] = OutboxIngestBench.RunAsync,
    ["outbox-drain"] = OutboxDrainBench.RunAsync,
    ["telemetry-size"] = TelemetrySizeBench.RunAsync,
};

if (args.Length == 0 || !benches.TryGetValue(args[0], out var bench))
{
    Console.Error.WriteLine($"usage: Bench <{string.Join('|', benches.Keys)}> [options]");
    return 64;
}

return await bench(args[1..]);

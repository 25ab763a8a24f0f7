using ShelfAgent.LocalLake.Ingest;
using ShelfAgent.LocalLake.Lake;
using ShelfAgent.Simulator.Traces;

namespace ShelfAgent.LocalLake.Tests;

/// <summary>
/// The small lake the evaluation tests share: shelf-sim traces of 2 stores × 3 slots, 9 days sampled every minute
/// (seed 5), written under the lake's folder, ingested with their POS sales and curated.
/// </summary>
internal static class SimulatedStoresLake
{
    /// <summary>Fills <paramref name="lake"/>; returns the traces' folder and their first instant.</summary>
    public static async Task<(string Traces, DateTimeOffset Start)> FillAsync(TestLake lake)
    {
        ArgumentNullException.ThrowIfNull(lake);
        var traces = Path.Combine(lake.Directory, "traces");
        var options = new TraceOptions { Stores = 2, SlotsPerDevice = 3, Days = 9, SamplingSeconds = 60, Seed = 5 };
        await TraceWriter.RunAsync(options, traces, TextWriter.Null, CancellationToken.None);
        var start = options.Start;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var device in DeviceTrace.Find(traces))
        {
            // A store's sales once, with its first device.
            TraceIngest.Ingest(lake.Store, device, profiles: null, start, start.AddDays(options.Days), seen.Add(device.Store));
        }

        Curation.Run(lake.Store, "0000-01-01");
        return (traces, start);
    }
}

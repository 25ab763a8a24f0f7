using ShelfAgent.Simulator.Traces;

namespace ShelfAgent.LocalLake.Tests.Learning;

/// <summary>
/// Four simulated stores of 13 days (<c>shelf-sim traces</c> in process: readings, ground truth, POS sales of the same
/// customers), written once for the tests that share them; removed at dispose.
/// </summary>
public sealed class SimulatedStores : IDisposable
{
    public SimulatedStores()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("local-lake-stores-").FullName;
        Traces = Path.Combine(Directory, "traces");
        var options = new TraceOptions { Stores = 4, SlotsPerDevice = 3, Days = 13, SamplingSeconds = 60, Seed = 11 };
        TraceWriter.RunAsync(options, Traces, TextWriter.Null, CancellationToken.None).GetAwaiter().GetResult();
    }

    public string Directory { get; }

    public string Traces { get; }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // the OS cleans /tmp eventually
        }
    }
}

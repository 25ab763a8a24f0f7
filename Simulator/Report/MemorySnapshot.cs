using System.Diagnostics;

namespace ShelfAgent.Simulator.Report;

/// <summary>
/// Where the process's memory is at one moment (docs/benchmarks.md, "Where a simulated device's memory goes"): resident
/// memory split into anonymous (the GC heap, native allocations: OpenSSL, SQLite, thread stacks) and file-backed (code,
/// mapped assemblies), the GC's live heap and what it has committed, and the threads. The difference between the anonymous
/// memory and the GC's committed memory is native: what a dump of the managed heap does not show.
/// </summary>
/// <param name="RssMb">Resident now (VmRSS).</param>
/// <param name="RssAnonMb">Anonymous resident memory (RssAnon): heap, native allocations, stacks.</param>
/// <param name="RssFileMb">File-backed resident memory (RssFile): code and mapped assemblies.</param>
/// <param name="GcHeapMb">The managed heap after the last GC (live objects and fragmentation).</param>
/// <param name="GcCommittedMb">Memory the GC has committed (its heap plus budget and bookkeeping).</param>
/// <param name="Threads">Threads of the process (each a stack of up to 8 MB reserved, touched pages resident).</param>
public sealed record MemorySnapshot(double RssMb, double RssAnonMb, double RssFileMb, double GcHeapMb, double GcCommittedMb, int Threads)
{
    /// <summary>Anonymous memory the GC does not account for: native allocations and thread stacks.</summary>
    public double NativeMb => Math.Round(Math.Max(0, RssAnonMb - GcCommittedMb), 1);

    public static MemorySnapshot Take()
    {
        var info = GC.GetGCMemoryInfo();
        using var self = Process.GetCurrentProcess();
        return new MemorySnapshot(
            Mb(ProcessUsage.StatusKb("VmRSS")),
            Mb(ProcessUsage.StatusKb("RssAnon")),
            Mb(ProcessUsage.StatusKb("RssFile")),
            Math.Round(info.HeapSizeBytes / 1048576.0, 1),
            Math.Round(info.TotalCommittedBytes / 1048576.0, 1),
            self.Threads.Count);
    }

    /// <summary>KB per device of what grew between <paramref name="before"/> and this snapshot.</summary>
    public Dictionary<string, double> PerDeviceKb(MemorySnapshot before, int devices)
    {
        ArgumentNullException.ThrowIfNull(before);
        double Kb(double now, double then) => devices == 0 ? 0 : Math.Round((now - then) * 1024 / devices, 1);
        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["rss"] = Kb(RssMb, before.RssMb),
            ["gc_heap"] = Kb(GcHeapMb, before.GcHeapMb),
            ["gc_committed"] = Kb(GcCommittedMb, before.GcCommittedMb),
            ["native"] = Kb(NativeMb, before.NativeMb),
            ["file"] = Kb(RssFileMb, before.RssFileMb),
        };
    }

    private static double Mb(long? kb) => kb is { } v ? Math.Round(v / 1024.0, 1) : 0;
}

/// <summary>
/// The process's memory at three moments of a run, each after a full GC: before the devices were built (runtime, broker
/// client side, certificates), once they were built (what a device's host, pipeline and outbox cost before it connects),
/// and at the end of the run before the devices stopped (what connections and running add). Per device: the growth
/// divided by the devices.
/// </summary>
public sealed record MemoryBreakdown(
    MemorySnapshot BeforeDevices,
    MemorySnapshot DevicesBuilt,
    MemorySnapshot Running,
    IReadOnlyDictionary<string, double> PerDeviceKbBuilt,
    IReadOnlyDictionary<string, double> PerDeviceKbRunning)
{
    public static MemoryBreakdown Of(MemorySnapshot before, MemorySnapshot built, MemorySnapshot running, int devices)
    {
        ArgumentNullException.ThrowIfNull(built);
        ArgumentNullException.ThrowIfNull(running);
        return new MemoryBreakdown(before, built, running, built.PerDeviceKb(before, devices), running.PerDeviceKb(built, devices));
    }
}

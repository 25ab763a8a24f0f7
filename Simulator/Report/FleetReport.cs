using ShelfAgent.Simulator.Rehearsals;
using ShelfAgent.Simulator.Scale;

namespace ShelfAgent.Simulator.Report;

/// <summary>The end report of a run (report.json; report.html draws it): the run's set-up, totals, timeline and rehearsals.</summary>
public sealed record FleetReport(
    string Schema,
    DateTimeOffset StartedAt,
    string Command,
    string Broker,
    string Shard,
    int Devices,
    int SlotsPerDevice,
    double ConnectRate,
    string Outbox,
    double Seconds,
    long ReadingsCommitted,
    long ReadingsDelivered,
    long Messages,
    long ConnectAttempts,
    long Connects,
    int PeakConnectAttemptsInOneSecond,
    double? SecondsToConnectFleet,
    double? P50Ms,
    double? P95Ms,
    double? P99Ms,
    IReadOnlyDictionary<string, long> Errors,
    long SensorFaults,
    ProcessFigures Process,
    IReadOnlyList<TimelinePoint> Timeline,
    IReadOnlyList<RehearsalResult> Rehearsals);

/// <summary>What the simulator process used: peak memory, CPU, its open-files limit, and where the memory went.</summary>
public sealed record ProcessFigures(
    double PeakRssMb, double CpuSeconds, long OpenFilesLimit, double MemoryPerDeviceKb, double CpuSecondsPer1000Messages, MemoryBreakdown? Memory = null);

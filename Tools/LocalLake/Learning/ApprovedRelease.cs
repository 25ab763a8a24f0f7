using ShelfAgent.LocalLake.Ingest;
using ShelfAgent.LocalLake.Releases;

namespace ShelfAgent.LocalLake.Learning;

/// <summary>A turn of the loop once its release is approved: what the canary and the watch need.</summary>
/// <param name="Id">The release.</param>
/// <param name="Releases">The lake's releases.</param>
/// <param name="Devices">The simulated stores' devices.</param>
/// <param name="WatchFrom">The first watch day: right after the held-out week.</param>
public sealed record ApprovedRelease(string Id, ReleaseStore Releases, IReadOnlyList<DeviceTrace> Devices, DateTimeOffset WatchFrom);

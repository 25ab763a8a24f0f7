using System.Globalization;

namespace ShelfAgent.Outbox;

/// <summary>
/// The last time the buffer's file system ran full: since when, how many of the oldest readings were evicted to keep
/// taking new ones, and when room came back (null while it is still full). Kept in the buffer file's meta table.
/// </summary>
/// <param name="Since">The first eviction on the full disk.</param>
/// <param name="Evicted">Readings evicted while the disk was full (also counted in <c>dropped</c> and the evicted total).</param>
/// <param name="Until">When the file system had room again; null while it is full.</param>
public sealed record DiskFullEpisode(DateTimeOffset Since, long Evicted, DateTimeOffset? Until)
{
    /// <summary>From the meta table's <c>disk_full_since</c>, <c>disk_full_evicted</c>, <c>disk_full_until</c> (unix ms, 0 = none).</summary>
    public static DiskFullEpisode? FromMeta(long sinceMs, long evicted, long untilMs) => sinceMs == 0
        ? null
        : new DiskFullEpisode(
            DateTimeOffset.FromUnixTimeMilliseconds(sinceMs), evicted, untilMs == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(untilMs));

    /// <summary>True while the disk is still full.</summary>
    public bool Ongoing => Until is null;

    /// <summary>
    /// The one line status, the shadow and doctor show: <c>disk full: N readings evicted since …</c>, or once room came
    /// back <c>disk was full: N readings evicted from … to …</c>.
    /// </summary>
    public string Describe() => Until is { } until
        ? string.Create(CultureInfo.InvariantCulture, $"disk was full: {Evicted} readings evicted from {Stamp(Since)} to {Stamp(until)}")
        : string.Create(CultureInfo.InvariantCulture, $"disk full: {Evicted} readings evicted since {Stamp(Since)}");

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

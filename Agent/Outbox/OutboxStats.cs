namespace ShelfAgent.Outbox;

/// <summary>What <c>shelf-agent buffer stats</c> shows; read from the file, so it works while the agent runs.</summary>
/// <param name="Path">The buffer file.</param>
/// <param name="EventDepth">Events and alerts waiting (first lane).</param>
/// <param name="LiveDepth">Readings stamped within the live window (second lane).</param>
/// <param name="BacklogDepth">Older readings (third lane).</param>
/// <param name="OldestReadingAge">Age of the oldest stored reading; null when there is none.</param>
/// <param name="FileBytes">Database file plus its write-ahead log, in bytes.</param>
/// <param name="EvictedTotal">Readings evicted to stay within Buffer:MaxBytes or on a full disk, over the file's life.</param>
/// <param name="DroppedPending">Evicted readings per slot not yet reported in an acknowledged telemetry batch.</param>
/// <param name="RecoveredFiles">Times a corrupt or unopenable buffer file was moved aside and replaced.</param>
/// <param name="NextSeq">The sequence number the next reading will get.</param>
/// <param name="DiskFull">The last time the file system ran full (docs/buffer.md, "A full disk"); null when it never did.</param>
public sealed record OutboxStats(
    string Path,
    long EventDepth,
    long LiveDepth,
    long BacklogDepth,
    TimeSpan? OldestReadingAge,
    long FileBytes,
    long EvictedTotal,
    IReadOnlyDictionary<string, long> DroppedPending,
    long RecoveredFiles,
    long NextSeq,
    DiskFullEpisode? DiskFull = null);

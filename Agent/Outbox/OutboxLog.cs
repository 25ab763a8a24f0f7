using Microsoft.Extensions.Logging;

namespace ShelfAgent.Outbox;

/// <summary>The outbox's log messages (event ids 3100–3199).</summary>
internal static partial class OutboxLog
{
    [LoggerMessage(
        3100,
        LogLevel.Information,
        "Outbox {Path} open: {Readings} readings and {Events} events waiting, next seq {NextSeq}, synchronous={Synchronous}")]
    public static partial void Opened(ILogger logger, string path, long readings, long events, long nextSeq, OutboxSynchronous synchronous);

    [LoggerMessage(
        3101,
        LogLevel.Error,
        "Outbox {Path} could not be used ({Reason}); moved it aside to {MovedTo} and started a fresh file, recovered files {RecoveredFiles}")]
    public static partial void Recovered(ILogger logger, string path, string reason, string movedTo, long recoveredFiles);

    [LoggerMessage(3102, LogLevel.Warning, "Outbox evicted {Count} oldest readings ({Cause}); evicted per slot: {PerSlot}")]
    public static partial void Evicted(ILogger logger, long count, string cause, string perSlot);

    [LoggerMessage(3103, LogLevel.Error, "Outbox is full with no telemetry left to evict: {Readings} readings and {Events} events were not stored")]
    public static partial void StoreFull(ILogger logger, long readings, long events);

    [LoggerMessage(3104, LogLevel.Error, "Outbox commit of {Readings} readings and {Events} events failed")]
    public static partial void CommitFailed(ILogger logger, Exception exception, long readings, long events);

    [LoggerMessage(
        3106,
        LogLevel.Warning,
        "Outbox size limit: Buffer:MaxBytes {MaxBytes}, {FreeBytes} bytes free on its file system, effective limit {LimitBytes} bytes " +
        "(capped by the disk: {CappedByDisk})")]
    public static partial void DiskLimit(ILogger logger, long maxBytes, long freeBytes, long limitBytes, bool cappedByDisk);

    [LoggerMessage(3105, LogLevel.Information, "Outbox reserved sequence numbers up to {Reserved} in {Sidecar}")]
    public static partial void Reserved(ILogger logger, long reserved, string sidecar);

    [LoggerMessage(
        3107,
        LogLevel.Error,
        "Disk full ({FreeBytes} bytes free beside {Path}): in the last {Seconds} s {Evicted} oldest readings evicted to keep the newest, " +
        "{Unsaved} readings not stored, {Failed} commits failed; {Episode}")]
    public static partial void DiskFull(ILogger logger, long freeBytes, string path, long seconds, long evicted, long unsaved, long failed, string episode);

    [LoggerMessage(3108, LogLevel.Warning, "Disk full: released the {Bytes}-byte reserve {Reserve} so old readings can be evicted")]
    public static partial void ReserveReleased(ILogger logger, long bytes, string reserve);

    [LoggerMessage(
        3110,
        LogLevel.Warning,
        "Outbox evicted the {Count} oldest raw samples ({Cause}) before any unsent reading; raw samples evicted so far: {Total}")]
    public static partial void RawEvicted(ILogger logger, long count, string cause, long total);

    [LoggerMessage(3109, LogLevel.Information, "Disk has room again ({FreeBytes} bytes free); reserve {Reserve} held: {Held}; {Episode}")]
    public static partial void DiskRecovered(ILogger logger, long freeBytes, string reserve, bool held, string episode);
}

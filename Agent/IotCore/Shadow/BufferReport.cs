namespace ShelfAgent.IotCore.Shadow;

/// <summary>The outbox in the shadow: how much waits, how old the oldest reading is, what was dropped.</summary>
/// <param name="Depth">Readings and events waiting.</param>
/// <param name="OldestAgeSeconds">Age of the oldest waiting reading in whole seconds; null when empty.</param>
/// <param name="DroppedTotal">Readings evicted over the buffer file's life (Buffer:MaxBytes or a full disk).</param>
/// <param name="DiskFull">"disk full: N readings evicted since …" (or "disk was full: …"); null when the disk never ran full.</param>
public sealed record BufferReport(long Depth, long? OldestAgeSeconds, long DroppedTotal, string? DiskFull = null);

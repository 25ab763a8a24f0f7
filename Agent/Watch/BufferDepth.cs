namespace ShelfAgent.Watch;

/// <summary>
/// What the viewer knows of a device's store-and-forward buffer, and from where: the device's shadow report
/// (<c>reported.device.buffer</c>, what the agent publishes) or its buffer file read on the same machine
/// (<c>watch --config</c>, as <c>buffer stats</c> reads it).
/// </summary>
/// <param name="Waiting">Readings and events waiting to be sent.</param>
/// <param name="OldestAge">Age of the oldest waiting reading when it was read; null when none waits or it is not known.</param>
/// <param name="Source">"shadow report" or the buffer file's path.</param>
/// <param name="ReadAt">When it was read (the viewer's clock).</param>
/// <param name="Lanes">"0 events, 12 live, 0 backlog" when read from the file; null from the shadow, which has only the total.</param>
public sealed record BufferDepth(long Waiting, TimeSpan? OldestAge, string Source, DateTimeOffset ReadAt, string? Lanes = null);

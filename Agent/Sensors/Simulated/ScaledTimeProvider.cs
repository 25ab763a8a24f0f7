namespace ShelfAgent.Sensors.Simulated;

/// <summary>
/// A clock that runs <see cref="Scale"/> times faster than the wall clock from a chosen start, so the
/// simulator can play a day of shop life in minutes. Timers fire <see cref="Scale"/> times sooner.
/// Only the shop (sensors, sampling) uses it; network time-outs keep the real clock.
/// </summary>
public sealed class ScaledTimeProvider : TimeProvider
{
    private readonly TimeProvider _inner;
    private readonly DateTimeOffset _start;
    private readonly long _startTimestamp;

    /// <summary>Starts the scaled clock at <paramref name="start"/>.</summary>
    public ScaledTimeProvider(DateTimeOffset start, double scale, TimeProvider? inner = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(scale, 0);
        _inner = inner ?? System;
        _start = start;
        Scale = scale;
        _startTimestamp = _inner.GetTimestamp();
    }

    /// <summary>Simulated seconds per real second.</summary>
    public double Scale { get; }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
        => _start + (_inner.GetElapsedTime(_startTimestamp) * Scale);

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        => new ScaledTimer(_inner.CreateTimer(callback, state, Shrink(dueTime), Shrink(period)), this);

    private TimeSpan Shrink(TimeSpan t)
        => t == Timeout.InfiniteTimeSpan || t <= TimeSpan.Zero ? t : TimeSpan.FromTicks(Math.Max(1, (long)(t.Ticks / Scale)));

    /// <summary>Scales <see cref="ITimer.Change"/> too: PeriodicTimer and Task.Delay set their times through it.</summary>
    private sealed class ScaledTimer(ITimer inner, ScaledTimeProvider clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(clock.Shrink(dueTime), clock.Shrink(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}

namespace ShelfAgent.Tests.Fakes;

/// <summary>
/// A clock for hardware fakes: time moves only when a fake chip or a delay moves it. A timer (as used by
/// Task.Delay) advances the clock by its due time and fires at once, so polling loops run without real waits.
/// </summary>
public sealed class FakeClock : TimeProvider
{
    private long _nanoseconds;
    private readonly DateTimeOffset _epoch = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    public override long TimestampFrequency => 1_000_000_000;

    public override long GetTimestamp() => Interlocked.Read(ref _nanoseconds);

    public override DateTimeOffset GetUtcNow() => _epoch + Elapsed;

    public TimeSpan Elapsed => TimeSpan.FromTicks(GetTimestamp() / 100);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _nanoseconds, by.Ticks * 100);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Advance(dueTime);
            callback(state);
        }

        return new NoTimer();
    }

    private sealed class NoTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

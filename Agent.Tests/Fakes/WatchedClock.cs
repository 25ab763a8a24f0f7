using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace ShelfAgent.Tests.Fakes;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells a test when code under test starts waiting on it: every timer created
/// (as by <c>Task.Delay(d, time)</c>) is recorded with its due time. The signal a test needs to prove a loop is parked
/// on the clock, and so did nothing else, without a sleep: time stands still until the test advances it.
/// </summary>
public sealed class WatchedClock : FakeTimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _waits = new();

    public WatchedClock()
        : base(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Timers created so far.</summary>
    public int Waits => _waits.Count;

    /// <summary>The due times of the timers created, in order.</summary>
    public IReadOnlyList<TimeSpan> DueTimes => [.. _waits];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _waits.Enqueue(dueTime);
        return timer;
    }
}

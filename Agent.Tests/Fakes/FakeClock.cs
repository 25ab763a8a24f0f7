using Microsoft.Extensions.Time.Testing;

namespace ShelfAgent.Tests.Fakes;

/// <summary>
/// A <see cref="FakeTimeProvider"/> for hardware fakes that also moves itself: a timer created on it (as by
/// Task.Delay in a driver's polling loop) advances the clock by its due time at once, so it fires at once and the
/// loop runs in virtual time without a test stepping it. That is the one thing FakeTimeProvider cannot do (its
/// timers wait for <see cref="FakeTimeProvider.Advance"/>; <see cref="FakeTimeProvider.AutoAdvanceAmount"/> moves
/// only on reads of the time), and the reason this class exists. Fake chips still call Advance for conversion times.
/// </summary>
public sealed class FakeClock : FakeTimeProvider
{
    private static readonly DateTimeOffset Epoch = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    public FakeClock()
        : base(Epoch)
    {
    }

    /// <summary>Virtual time since the clock was made.</summary>
    public TimeSpan Elapsed => GetUtcNow() - Epoch;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Advance(dueTime);
        }

        return timer;
    }
}

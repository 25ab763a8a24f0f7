namespace ShelfAgent.Tests.Pipeline;

/// <summary>A clock whose timers fire only when the test steps it (for driving a PeriodicTimer tick by tick).</summary>
internal sealed class StepClock(DateTimeOffset start) : TimeProvider
{
    private readonly List<StepTimer> _timers = [];
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_timers)
        {
            return _now;
        }
    }

    public int TimerCount
    {
        get
        {
            lock (_timers)
            {
                return _timers.Count;
            }
        }
    }

    /// <summary>Moves the clock and fires every live timer once.</summary>
    public void Step(TimeSpan by)
    {
        StepTimer[] due;
        lock (_timers)
        {
            _now += by;
            due = [.. _timers];
        }

        foreach (var t in due)
        {
            t.Fire();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new StepTimer(this, callback, state);
        lock (_timers)
        {
            _timers.Add(timer);
        }

        return timer;
    }

    private void Remove(StepTimer timer)
    {
        lock (_timers)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class StepTimer(StepClock clock, TimerCallback callback, object? state) : ITimer
    {
        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose() => clock.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

namespace ShelfAgent.Simulator.Scale;

/// <summary>
/// The fleet's stop, said once to every device before any host stops. From then on each device's publishing loop waits
/// where it waits for send room — nothing new leaves — until its own host stops it (its stopping token ends the wait, as
/// at an agent's stop); what is already in flight is acknowledged meanwhile. So the hosts stop on a broker that is no longer
/// taking in the rest of the fleet's readings, and a host's goodbye (offline status, DISCONNECT) is not queued behind them.
/// Sampling goes on until each host stops, into the outbox (no network). Thread-safe.
/// </summary>
public sealed class FleetStopSignal
{
    private readonly TaskCompletionSource _said = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _quiet = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _inFlight;

    /// <summary>True once the fleet's stop was said.</summary>
    public bool IsSaid => _said.Task.IsCompleted;

    /// <summary>Publishes handed to the devices' transports and not yet acknowledged (or failed).</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Says the fleet's stop (once; again does nothing).</summary>
    public void Say()
    {
        _said.TrySetResult();
        if (InFlight == 0)
        {
            _quiet.TrySetResult();
        }
    }

    /// <summary>Completes once the stop was said and no publish is in flight (the last one to end completes it).</summary>
    public Task Quiet => _quiet.Task;

    /// <summary>What a publishing loop does once the stop was said: waits until its own device stops (then cancelled).</summary>
    public Task HoldAsync(CancellationToken cancellationToken) =>
        IsSaid ? Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken) : Task.CompletedTask;

    /// <summary>A publish was handed to a transport.</summary>
    public void Began() => Interlocked.Increment(ref _inFlight);

    /// <summary>That publish was acknowledged, failed or cancelled.</summary>
    public void Ended()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && IsSaid)
        {
            _quiet.TrySetResult();
        }
    }
}

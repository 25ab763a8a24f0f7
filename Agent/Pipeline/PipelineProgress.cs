namespace ShelfAgent.Pipeline;

/// <summary>
/// Where sampling and publishing report that they moved, for <see cref="WatchdogRule"/>. Thread-safe; times are on
/// the wall clock (the watchdog is systemd's, not the shop's accelerated clock). Start counts as progress.
/// </summary>
public sealed class PipelineProgress
{
    private readonly TimeProvider _time;
    private long _committedAt;
    private long _ackedAt;
    private int _publisherIdle;
    private long _acks;
    private string? _stall;

    /// <summary>Starts the clocks now.</summary>
    public PipelineProgress(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _committedAt = _ackedAt = time.GetTimestamp();
    }

    /// <summary>Sampling committed a round of readings to the outbox.</summary>
    public void Committed() => Volatile.Write(ref _committedAt, _time.GetTimestamp());

    /// <summary>The broker acknowledged a batch and the outbox let it go.</summary>
    public void Acknowledged()
    {
        Volatile.Write(ref _ackedAt, _time.GetTimestamp());
        Interlocked.Increment(ref _acks);
    }

    /// <summary>Broker acknowledgements since start (agent-update's health gate needs at least one).</summary>
    public long Acknowledgements => Interlocked.Read(ref _acks);

    /// <summary>The first watchdog stall since start (its verdict's name), or null: agent-update's health gate rolls back on it.</summary>
    public string? FirstStall => Volatile.Read(ref _stall);

    /// <summary>The watchdog found a loop stalled (kept: the first one).</summary>
    public void Stalled(string verdict) => Interlocked.CompareExchange(ref _stall, verdict, null);

    /// <summary>The publisher waits for a connection or for data: nothing to do.</summary>
    public void PublisherWaiting() => Volatile.Write(ref _publisherIdle, 1);

    /// <summary>The publisher has work; its bound counts from now if it was waiting.</summary>
    public void PublisherWorking()
    {
        if (Interlocked.Exchange(ref _publisherIdle, 0) == 1)
        {
            Volatile.Write(ref _ackedAt, _time.GetTimestamp());
        }
    }

    /// <summary>How long ago each loop last moved.</summary>
    public ProgressSnapshot Snapshot() => new(
        _time.GetElapsedTime(Volatile.Read(ref _committedAt)),
        _time.GetElapsedTime(Volatile.Read(ref _ackedAt)),
        Volatile.Read(ref _publisherIdle) == 1);
}

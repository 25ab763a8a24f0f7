namespace ShelfAgent.Simulator.Scale;

/// <summary>
/// The fleet's CONNECT admission (<c>--connect-rate</c>, as AWS IoT's per-account CONNECT quota admits a fleet): each
/// attempt takes the next free slot, 1/rate after the one before, and waits for it; at its slot it leaves only if the
/// attempt before it left at least 1/rate ago as the clock saw it (a timer that fired late takes the next free slot
/// instead), so no one-second span ever holds more than rate + 1 attempts, at the first start as in a reconnect storm.
/// The waits run side by side, not one after another: a busy thread pool makes them late, never the rate a crawl.
/// Thread-safe; every device's transport awaits it before each connect attempt.
/// </summary>
public sealed class ConnectRate(double perSecond, TimeProvider time)
{
    private readonly Lock _sync = new();
    private readonly long _spacing = perSecond > 0 ? (long)(time.TimestampFrequency / perSecond) : 0;
    private readonly Queue<long> _lastSecond = new();
    private bool _any;
    private long _last;
    private long _next;
    private long _admitted;
    private int _peak;
    private int _peakEver;

    /// <summary>Connect attempts admitted so far.</summary>
    public long Admitted => Interlocked.Read(ref _admitted);

    /// <summary>The most attempts admitted within any one second since the start or the last <see cref="TakePeak"/>.</summary>
    public int Peak => Volatile.Read(ref _peak);

    /// <summary>The most attempts admitted within any one second of the whole run.</summary>
    public int PeakEver => Volatile.Read(ref _peakEver);

    /// <summary>Returns <see cref="Peak"/> and starts counting it again (a rehearsal measures its own storm).</summary>
    public int TakePeak() => Interlocked.Exchange(ref _peak, 0);

    /// <summary>Waits for this attempt's turn (at once when the rate is 0: unlimited).</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        if (_spacing == 0)
        {
            Interlocked.Increment(ref _admitted);
            return;
        }

        while (true)
        {
            long slot;
            var now = time.GetTimestamp();
            lock (_sync)
            {
                if (TryLeave(now))
                {
                    return;
                }

                slot = Math.Max(_next, _last + _spacing);
                _next = slot + _spacing;
            }

            await Task.Delay(time.GetElapsedTime(now, slot), time, cancellationToken).ConfigureAwait(false);
            lock (_sync)
            {
                if (TryLeave(time.GetTimestamp(), reserved: true))
                {
                    return;
                }
            }
        }
    }

    // Under the lock: leaves now if the last attempt left a spacing ago (and, unless this one holds a slot, no one is
    // waiting for an earlier slot); counts the attempts of the last second and the most there ever were.
    private bool TryLeave(long now, bool reserved = false)
    {
        if (_any && now - _last < _spacing)
        {
            return false;
        }

        if (!reserved && now < _next)
        {
            return false;
        }

        _any = true;
        _last = now;
        _next = Math.Max(_next, now + _spacing);
        _lastSecond.Enqueue(now);
        while (now - _lastSecond.Peek() >= time.TimestampFrequency)
        {
            _lastSecond.Dequeue();
        }

        Interlocked.Increment(ref _admitted);
        Volatile.Write(ref _peak, Math.Max(_peak, _lastSecond.Count));
        Volatile.Write(ref _peakEver, Math.Max(_peakEver, _lastSecond.Count));
        return true;
    }
}

namespace ShelfAgent.Simulator.Scale;

/// <summary>
/// The fleet's CONNECT admission (<c>--connect-rate</c>, as AWS IoT's per-account CONNECT quota admits a fleet): one
/// attempt at a time is let through, each at least 1/rate after the one before as the clock saw them leave, so any
/// one-second span holds at most rate + 1 of them, at the first start as in a reconnect storm. A late timer only makes
/// the rate lower, never a burst. Thread-safe; every device's transport awaits it before each connect attempt.
/// </summary>
public sealed class ConnectRate(double perSecond, TimeProvider time) : IDisposable
{
    // Waiters queue here (SemaphoreSlim's async waiters are served in order); the holder waits out the spacing.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly long _spacing = perSecond > 0 ? (long)(time.TimestampFrequency / perSecond) : 0;
    private readonly Queue<long> _lastSecond = new();
    private long _last = long.MinValue;
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

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetTimestamp();
            if (_last != long.MinValue && now - _last < _spacing)
            {
                await Task.Delay(time.GetElapsedTime(now, _last + _spacing), time, cancellationToken).ConfigureAwait(false);
                now = time.GetTimestamp();
            }

            _last = now;
            Count(now);
        }
        finally
        {
            _gate.Release();
        }
    }

    // Under the gate: the admissions of the last second, and the most there ever were.
    private void Count(long now)
    {
        _lastSecond.Enqueue(now);
        while (_lastSecond.Count > 0 && now - _lastSecond.Peek() >= time.TimestampFrequency)
        {
            _lastSecond.Dequeue();
        }

        Interlocked.Increment(ref _admitted);
        if (_lastSecond.Count > Volatile.Read(ref _peak))
        {
            Volatile.Write(ref _peak, _lastSecond.Count);
        }

        if (_lastSecond.Count > Volatile.Read(ref _peakEver))
        {
            Volatile.Write(ref _peakEver, _lastSecond.Count);
        }
    }

    public void Dispose() => _gate.Dispose();
}

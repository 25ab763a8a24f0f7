namespace ShelfAgent.Simulator.Scale;

/// <summary>
/// The fleet's CONNECT admission (<c>--connect-rate</c>, as AWS IoT's per-account CONNECT quota admits a fleet):
/// attempts are spaced 1/rate apart, so any one-second span holds at most rate + 1 of them, at the first start as in
/// a reconnect storm. Thread-safe; every device's transport awaits it before each connect attempt.
/// </summary>
public sealed class ConnectRate(double perSecond, TimeProvider time)
{
    private readonly Lock _sync = new();
    private readonly long _spacing = perSecond > 0 ? (long)(time.TimestampFrequency / perSecond) : 0;
    private long _next;

    /// <summary>Connect attempts admitted so far.</summary>
    public long Admitted => Interlocked.Read(ref _admitted);

    private long _admitted;

    /// <summary>Waits for this attempt's turn (at once when the rate is 0: unlimited).</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        if (_spacing == 0)
        {
            Interlocked.Increment(ref _admitted);
            return;
        }

        long slot;
        var now = time.GetTimestamp();
        lock (_sync)
        {
            slot = Math.Max(now, _next);
            _next = slot + _spacing;
        }

        var wait = time.GetElapsedTime(now, slot);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Increment(ref _admitted);
    }
}

namespace ShelfAgent.Mqtt;

/// <summary>
/// The per-connection AWS IoT throttles (100 publishes/s, 512 KB/s by default) as two sliding one-second
/// windows shared by every publish of one client: no trailing second ever holds more than the limit, and a
/// steady stream uses all of it. A limit of 0 turns that window off.
/// </summary>
internal sealed class PublishRateLimiter : IDisposable
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private readonly TimeProvider _time;
    private readonly SlidingWindowLimit? _messages;
    private readonly SlidingWindowLimit? _bytes;
    private readonly Lock _sync = new();
    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>Limits per second; 0 means unlimited.</summary>
    public PublishRateLimiter(double publishesPerSecond, long bytesPerSecond, TimeProvider time)
    {
        _time = time;
        // Counted per trailing second, as AWS IoT meters a connection.
        _messages = publishesPerSecond > 0 ? new SlidingWindowLimit(Math.Max(1, publishesPerSecond), Second) : null;
        _bytes = bytesPerSecond > 0 ? new SlidingWindowLimit(bytesPerSecond, Second) : null;
    }

    /// <summary>True when neither limit is set.</summary>
    public bool IsUnlimited => _messages is null && _bytes is null;

    /// <summary>
    /// Waits until one publish of <paramref name="bytes"/> fits both limits. Publishes take turns (first come,
    /// first served) and each is recorded at the moment it is actually released, not at a time promised in
    /// advance: a timer that fires late then only delays, and can never put two sends in one window.
    /// </summary>
    public async ValueTask WaitAsync(int bytes, CancellationToken cancellationToken)
    {
        if (IsUnlimited)
        {
            return;
        }

        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            TimeSpan wait;
            while ((wait = TryTake(bytes)) > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Records the publish now if it fits, returning zero; otherwise how long until it may fit.</summary>
    private TimeSpan TryTake(int bytes)
    {
        lock (_sync)
        {
            var now = _time.GetElapsedTime(0);
            var at = EarliestAt(bytes, now);
            if (at > now)
            {
                return at - now;
            }

            Record(now, bytes);
            return TimeSpan.Zero;
        }
    }

    /// <summary>Reserves one publish of <paramref name="bytes"/> at the earliest time it fits and returns how long until then (pure planning, for tests and tools).</summary>
    public TimeSpan Reserve(int bytes)
    {
        lock (_sync)
        {
            var now = _time.GetElapsedTime(0);
            var at = EarliestAt(bytes, now);
            Record(at, bytes);
            return at - now;
        }
    }

    private TimeSpan EarliestAt(int bytes, TimeSpan now)
    {
        var at = now;
        if (_messages is not null)
        {
            at = _messages.EarliestAt(1, at);
        }

        return _bytes is null ? at : _bytes.EarliestAt(bytes, at);
    }

    private void Record(TimeSpan at, int bytes)
    {
        _messages?.Record(at, 1);
        _bytes?.Record(at, bytes);
    }

    /// <inheritdoc />
    public void Dispose() => _turn.Dispose();
}

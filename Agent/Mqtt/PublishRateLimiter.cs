namespace ShelfAgent.Mqtt;

/// <summary>
/// The per-connection AWS IoT throttles (100 publishes/s, 512 KB/s by default) as two sliding one-second
/// windows shared by every publish of one client: no trailing second ever holds more than the limit, and a
/// steady stream uses all of it. A limit of 0 turns that window off.
/// </summary>
internal sealed class PublishRateLimiter
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private readonly TimeProvider _time;
    private readonly SlidingWindowLimit? _messages;
    private readonly SlidingWindowLimit? _bytes;
    private readonly Lock _sync = new();

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

    /// <summary>Waits until one publish of <paramref name="bytes"/> fits both limits.</summary>
    public ValueTask WaitAsync(int bytes, CancellationToken cancellationToken)
    {
        if (IsUnlimited)
        {
            return ValueTask.CompletedTask;
        }

        var wait = Reserve(bytes);
        return wait <= TimeSpan.Zero ? ValueTask.CompletedTask : new ValueTask(Task.Delay(wait, _time, cancellationToken));
    }

    /// <summary>Reserves one publish of <paramref name="bytes"/> and returns how long to wait before sending it.</summary>
    public TimeSpan Reserve(int bytes)
    {
        lock (_sync)
        {
            var now = _time.GetElapsedTime(0);
            var at = now;
            if (_messages is not null)
            {
                at = _messages.EarliestAt(1, at);
            }

            if (_bytes is not null)
            {
                at = _bytes.EarliestAt(bytes, at);
            }

            _messages?.Record(at, 1);
            _bytes?.Record(at, bytes);
            return at - now;
        }
    }
}

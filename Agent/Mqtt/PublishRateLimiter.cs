namespace ShelfAgent.Mqtt;

/// <summary>
/// The per-connection AWS IoT throttles (100 publishes/s, 512 KB/s by default) as two token buckets shared by
/// every publish of one client; a limit of 0 turns that bucket off.
/// </summary>
internal sealed class PublishRateLimiter
{
    private readonly TimeProvider _time;
    private readonly TokenBucket? _messages;
    private readonly TokenBucket? _bytes;
    private readonly Lock _sync = new();

    public PublishRateLimiter(double publishesPerSecond, long bytesPerSecond, TimeProvider time)
    {
        _time = time;
        var now = time.GetElapsedTime(0);
        // One second of burst: AWS measures the limits per second.
        _messages = publishesPerSecond > 0 ? new TokenBucket(publishesPerSecond, Math.Max(1, publishesPerSecond), now) : null;
        _bytes = bytesPerSecond > 0 ? new TokenBucket(bytesPerSecond, bytesPerSecond, now) : null;
    }

    public bool IsUnlimited => _messages is null && _bytes is null;

    public ValueTask WaitAsync(int bytes, CancellationToken cancellationToken)
    {
        if (IsUnlimited)
        {
            return ValueTask.CompletedTask;
        }

        var wait = Reserve(bytes);
        return wait <= TimeSpan.Zero ? ValueTask.CompletedTask : new ValueTask(Task.Delay(wait, _time, cancellationToken));
    }

    /// <summary>Takes one publish and <paramref name="bytes"/> from the buckets; returns how long the caller must wait.</summary>
    public TimeSpan Reserve(int bytes)
    {
        lock (_sync)
        {
            var now = _time.GetElapsedTime(0);
            var a = _messages?.Take(1, now) ?? TimeSpan.Zero;
            var b = _bytes?.Take(bytes, now) ?? TimeSpan.Zero;
            return a > b ? a : b;
        }
    }
}

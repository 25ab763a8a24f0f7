namespace ShelfAgent.Transport;

/// <summary>
/// The per-connection AWS IoT throttles (100 publishes/s, 512 KB/s by default), metered where a PUBLISH enters the
/// socket (the metered channel under MQTTnet, just above TLS), so that what the broker sees is what was counted: resends after a
/// reconnect included, and no variable delay between counting and sending. Two rules hold together:
/// <list type="bullet">
/// <item>a sliding window of one second plus <c>guard</c> never holds more than the limit. Any one-second span at
/// the broker then holds at most the limit as long as the bytes' delay from our socket to its meter varies by
/// less than the guard (loopback: well under a millisecond; the default guard is 25 ms);</item>
/// <item>sends are paced evenly at that rate (<see cref="PacedRate"/>), with a burst of an eighth of the budget
/// after a pause, so a steady backlog is a smooth stream and a message queued behind it waits milliseconds.</item>
/// </list>
/// Pure: times come from the caller. A limit of 0 turns that rule off. Thread-safe.
/// </summary>
internal sealed class PublishRateLimiter
{
    /// <summary>The default allowance for varying delay between our socket and the broker's meter.</summary>
    public static readonly TimeSpan DefaultGuard = TimeSpan.FromMilliseconds(25);

    // TLS 1.2 AES-GCM adds 29 bytes per record (5 header + 8 explicit nonce + 16 tag; RFC 5246 §6.2.3.3, RFC 5288 §3);
    // TLS 1.3 adds 22 (RFC 8446 §5.2). A record carries at most 16 KB of plaintext.
    private const int TlsRecordOverhead = 29;
    private const int TlsRecordPlaintext = 16 * 1024;

    private readonly SlidingWindowLimit? _messages;
    private readonly SlidingWindowLimit? _bytes;
    private readonly PacedRate? _messagePace;
    private readonly PacedRate? _bytePace;
    private readonly Lock _sync = new();

    /// <summary>Limits per second; 0 means unlimited.</summary>
    public PublishRateLimiter(double publishesPerSecond, long bytesPerSecond, TimeSpan guard)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(guard, TimeSpan.Zero);
        var window = TimeSpan.FromSeconds(1) + guard;
        Window = window;
        if (publishesPerSecond > 0)
        {
            var limit = Math.Max(1, publishesPerSecond);
            _messages = new SlidingWindowLimit(limit, window);
            _messagePace = new PacedRate(limit / window.TotalSeconds, window / 8);
        }

        if (bytesPerSecond > 0)
        {
            _bytes = new SlidingWindowLimit(bytesPerSecond, window);
            _bytePace = new PacedRate(bytesPerSecond / window.TotalSeconds, window / 8);
        }
    }

    /// <summary>True when neither limit is set.</summary>
    public bool IsUnlimited => _messages is null && _bytes is null;

    /// <summary>The sliding window: one second plus the guard.</summary>
    public TimeSpan Window { get; }

    /// <summary>
    /// What one PUBLISH of <paramref name="packetBytes"/> (fixed header, topic, id and payload) costs on the wire:
    /// the packet plus the TLS record overhead of sending it alone, an upper bound when packets share records.
    /// </summary>
    public static int WireCost(int packetBytes) =>
        packetBytes + (TlsRecordOverhead * ((packetBytes + TlsRecordPlaintext - 1) / TlsRecordPlaintext));

    /// <summary>
    /// Records a send of <paramref name="bytes"/> at <paramref name="now"/> if it may go now, returning zero; otherwise how long until it may.
    /// </summary>
    public TimeSpan TryTake(int bytes, TimeSpan now)
    {
        lock (_sync)
        {
            var at = EarliestAt(bytes, now);
            if (at > now)
            {
                return at - now;
            }

            Record(now, bytes);
            return TimeSpan.Zero;
        }
    }

    /// <summary>
    /// Reserves a send of <paramref name="bytes"/> at the earliest time it may go and returns how long after <paramref name="now"/> that is
    /// (planning, for tests and tools).
    /// </summary>
    public TimeSpan Reserve(int bytes, TimeSpan now)
    {
        lock (_sync)
        {
            var at = EarliestAt(bytes, now);
            Record(at, bytes);
            return at - now;
        }
    }

    /// <summary>How long after <paramref name="now"/> a send of <paramref name="bytes"/> may go, without recording it (planning).</summary>
    public TimeSpan WaitTime(int bytes, TimeSpan now)
    {
        lock (_sync)
        {
            return EarliestAt(bytes, now) - now;
        }
    }

    private TimeSpan EarliestAt(int bytes, TimeSpan now)
    {
        // Each rule can only move the time later, and a later time never breaks a rule already met, so one pass
        // in a fixed order would do; the loop makes that independent of the order.
        var at = now;
        while (true)
        {
            var next = at;
            next = _messagePace?.EarliestAt(next) ?? next;
            next = _bytePace?.EarliestAt(next) ?? next;
            next = _messages?.EarliestAt(1, next) ?? next;
            next = _bytes?.EarliestAt(bytes, next) ?? next;
            if (next == at)
            {
                return at;
            }

            at = next;
        }
    }

    private void Record(TimeSpan at, int bytes)
    {
        _messagePace?.Record(at, 1);
        _bytePace?.Record(at, bytes);
        _messages?.Record(at, 1);
        _bytes?.Record(at, bytes);
    }
}

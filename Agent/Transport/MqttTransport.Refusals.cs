namespace ShelfAgent.Transport;

/// <summary>
/// Refused publishes (PUBACK reason code ≥ 0x80): each reason logged once per topic, and every further publish to a
/// refused topic waits out a growing, jittered pause, so a refusing broker is not asked again in a hot loop. Other
/// topics are not held; a success ends it. What is known here also explains a close that follows a refusal.
/// </summary>
public sealed partial class MqttTransport
{
    private readonly Dictionary<string, Refusal> _refusals = new(StringComparer.Ordinal);

    private MqttPublishRefusedException Refused(string topic, int code, string? reasonString)
    {
        bool first;
        lock (_refusals)
        {
            if (!_refusals.TryGetValue(topic, out var refusal))
            {
                refusal = new Refusal();
                _refusals[topic] = refusal;
            }

            refusal.Count++;
            refusal.LastCode = code;
            var delay = _backoff.Delay(Math.Min(refusal.Count - 1, 30), Random.Shared.NextDouble()) + _options.ReconnectMinDelay;
            refusal.Until = _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency);
            first = refusal.Logged.Add(code);
        }

        if (first)
        {
            TransportLog.PublishRefused(
                _log, topic, ReasonCodes.Describe(code), string.IsNullOrEmpty(reasonString) ? "" : $" ({reasonString})", ReasonCodes.Hint(code) ?? "");
        }
        else
        {
            TransportLog.PublishRefusedAgain(_log, topic, ReasonCodes.Describe(code));
        }

        return new MqttPublishRefusedException(topic, code, reasonString);
    }

    private void Accepted(string topic)
    {
        lock (_refusals)
        {
            _refusals.Remove(topic);
        }
    }

    // After a refusal every publish to that topic waits out a growing, jittered pause: a broker that refuses must not
    // be asked again in a hot loop. Other topics (an alert while telemetry is refused) are not held. A success ends it.
    // Returns the reason code the topic was last refused with, null when it is not refused.
    private async Task<int?> WaitOutRefusalAsync(string topic, CancellationToken cancellationToken)
    {
        long until;
        int code;
        lock (_refusals)
        {
            if (!_refusals.TryGetValue(topic, out var refusal))
            {
                return null;
            }

            until = refusal.Until;
            code = refusal.LastCode;
        }

        var left = _time.GetElapsedTime(_time.GetTimestamp(), until);
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left, _time, cancellationToken).ConfigureAwait(false);
        }

        return code;
    }

    /// <summary>Refusals of one topic in a row: how many, the last reason, until when to wait, which reasons were already logged.</summary>
    private sealed class Refusal
    {
        public int Count { get; set; }

        public int LastCode { get; set; }

        public long Until { get; set; }

        public HashSet<int> Logged { get; } = [];
    }
}

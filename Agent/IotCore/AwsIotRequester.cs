using System.Buffers;
using MQTTnet;
using MQTTnet.Protocol;

namespace ShelfAgent.IotCore;

/// <summary>
/// Request/response over an AWS IoT MQTT API (fleet provisioning, shadow, jobs): every request topic answers on
/// <c>&lt;topic&gt;/accepted</c> and <c>&lt;topic&gt;/rejected</c>, and AWS asks devices to subscribe to both before
/// publishing (Developer Guide, "Fleet provisioning MQTT API"; "Device Shadow MQTT topics"; "Jobs device MQTT API").
/// The subscriptions are made once per topic and kept for the requester's life (the session restores them after a
/// reconnect that lost them, and holds requests until it has: <see cref="IMqttSession.PublishRequestAsync"/>). A reply
/// goes to the waiting request with the same <c>clientToken</c>; a reply without one (fleet
/// provisioning echoes none, and a rejection of an unreadable request cannot) goes to the oldest request without a
/// token, else to the oldest request on that topic. A reply carrying a token nobody waits for (another client's
/// shadow update) is ignored. Requests on one topic may overlap; give each a distinct token where the API echoes it.
/// Thread-safe. The session must route each filter to one handler: use one requester per session and topic.
/// </summary>
public sealed class AwsIotRequester(IMqttSession session, TimeProvider time)
{
    private readonly IMqttSession _session = session ?? throw new ArgumentNullException(nameof(session));
    private readonly TimeProvider _time = time ?? throw new ArgumentNullException(nameof(time));
    private readonly Lock _sync = new();
    private readonly Dictionary<string, Task> _subscribed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Pending>> _pending = new(StringComparer.Ordinal);

    /// <summary>
    /// Subscribes to the reply topics of <paramref name="topic"/> (first use only), publishes <paramref name="payload"/>
    /// at QoS 1 and waits for the matching reply.
    /// </summary>
    /// <param name="topic">The request topic, e.g. <c>$aws/certificates/create-from-csr/json</c>.</param>
    /// <param name="payload">The request JSON; it must not change until the task completes.</param>
    /// <param name="clientToken">The token inside the payload, or null where the API echoes none.</param>
    /// <param name="timeout">How long to wait for the reply after publishing.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="TimeoutException">No reply within <paramref name="timeout"/>.</exception>
    /// <exception cref="AwsIotSubscribeRefusedException">The broker refused a reply subscription.</exception>
    public async Task<AwsIotReply> RequestAsync(
        string topic, ReadOnlyMemory<byte> payload, string? clientToken, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        await EnsureSubscribedAsync(topic, cancellationToken).ConfigureAwait(false);

        var pending = new Pending(clientToken);
        lock (_sync)
        {
            if (!_pending.TryGetValue(topic, out var list))
            {
                list = [];
                _pending[topic] = list;
            }

            // Registered before publishing: the reply can arrive before PublishAsync returns.
            list.Add(pending);
        }

        try
        {
            // Held by the session until its subscriptions are in place on the connection (after a reconnect that lost
            // the session, made again and acknowledged): a request sent before would have its reply routed to nobody.
            await _session.PublishRequestAsync(topic, payload, cancellationToken).ConfigureAwait(false);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(timeout, _time, stop.Token);
            var first = await Task.WhenAny(pending.Reply.Task, delay).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            if (first == pending.Reply.Task)
            {
                return await pending.Reply.Task.ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"No reply on {topic}/accepted or {topic}/rejected within {timeout.TotalSeconds:0.#} s.");
        }
        finally
        {
            lock (_sync)
            {
                _pending[topic].Remove(pending);
            }
        }
    }

    private Task EnsureSubscribedAsync(string topic, CancellationToken cancellationToken)
    {
        Task task;
        lock (_sync)
        {
            if (!_subscribed.TryGetValue(topic, out task!) || task.IsFaulted || task.IsCanceled)
            {
                // Not bound to the first caller's token: a cancelled caller must not fail the others' subscription.
                task = SubscribeBothAsync(topic);
                _subscribed[topic] = task;
            }
        }

        return task.WaitAsync(cancellationToken);
    }

    private async Task SubscribeBothAsync(string topic)
    {
        foreach (var (suffix, accepted) in new[] { ("/accepted", true), ("/rejected", false) })
        {
            var filter = topic + suffix;
            var granted = await _session.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce, m => OnReply(topic, accepted, m), CancellationToken.None)
                .ConfigureAwait(false);
            if (granted.Length == 0 || granted[0] is null)
            {
                throw new AwsIotSubscribeRefusedException(filter);
            }
        }
    }

    private ValueTask OnReply(string topic, bool accepted, MqttApplicationMessage message)
    {
        // Copied: the session may reuse its buffer once the handler returns.
        var payload = message.Payload.ToArray();
        var token = AwsIotReplyReader.ClientToken(payload);
        var reply = new AwsIotReply(accepted, payload, accepted ? null : AwsIotReplyReader.Error(payload));
        Pending? target;
        lock (_sync)
        {
            target = _pending.TryGetValue(topic, out var list) ? Match(list, token) : null;
            if (target is not null)
            {
                list!.Remove(target);
            }
        }

        target?.Reply.TrySetResult(reply);
        return ValueTask.CompletedTask;
    }

    private static Pending? Match(List<Pending> list, string? token)
    {
        if (token is not null)
        {
            return list.Find(p => string.Equals(p.Token, token, StringComparison.Ordinal));
        }

        return list.Find(p => p.Token is null) ?? (list.Count > 0 ? list[0] : null);
    }

    private sealed class Pending(string? token)
    {
        public string? Token => token;

        public TaskCompletionSource<AwsIotReply> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

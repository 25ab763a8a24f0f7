using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace ShelfAgent.Transport;

/// <summary>Subscriptions: kept across connections (restored: MqttTransport.Restore.cs), dispatched in arrival order.</summary>
public sealed partial class MqttTransport
{
    private readonly Dictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private uint _lastSubscriptionId;

    /// <summary>
    /// Subscribes <paramref name="handler"/> to <paramref name="filter"/> (wildcards + and #) and returns the granted QoS,
    /// null where the broker refused (SUBACK reason ≥ 0x80). Handlers run one message at a time, in arrival order; a
    /// QoS 1 message is acknowledged after its handlers return. Offline, the request waits for the connection; the
    /// subscription is sent again on every connection where the broker did not keep the session.
    /// </summary>
    public async Task<MqttQualityOfServiceLevel?[]> SubscribeAsync(
        string filter, MqttQualityOfServiceLevel qos, Func<MqttApplicationMessage, ValueTask> handler, CancellationToken cancellationToken)
    {
        AwsIotLimits.CheckSubscribe(filter, qos, _awsRules);
        ArgumentNullException.ThrowIfNull(handler);
        Subscription subscription;
        lock (_sync)
        {
            subscription = new Subscription(filter, qos, handler, ++_lastSubscriptionId);
            ObjectDisposedException.ThrowIf(_stopped, this);
            _subscriptions[filter] = subscription;
        }

        while (true)
        {
            var connection = await CurrentAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var result = await SubscribeOnAsync(connection, [subscription], cancellationToken).ConfigureAwait(false);
                var granted = result.Items.Select(i => (int)i.ResultCode < 0x80 ? (MqttQualityOfServiceLevel?)(int)i.ResultCode : null).ToArray();
                if (granted.Length > 0 && granted[0] is null)
                {
                    DropRefused(subscription, result.Items.First().ResultCode);
                }
                else
                {
                    // From now on a connection without session restores it.
                    subscription.Confirmed = true;
                }

                return granted;
            }
            catch (Exception e) when (MqttExceptionTranslator.IsConnectionLost(e) && !cancellationToken.IsCancellationRequested)
            {
                // The connection ended under the request (a socket error while sending it counts: the broker closed
                // first, e.g. right after refusing a publish): this loop sends it again on the next one.
                await connection.EndedTask.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                lock (_sync)
                {
                    if (_subscriptions.TryGetValue(filter, out var current) && ReferenceEquals(current, subscription) && !subscription.Confirmed)
                    {
                        _subscriptions.Remove(filter);
                    }
                }

                throw;
            }
        }
    }

    /// <summary>Removes a subscription; its handler gets no more messages once the broker confirms.</summary>
    public async Task UnsubscribeAsync(string filter, CancellationToken cancellationToken)
    {
        MqttTopic.ValidateFilter(filter, nameof(filter));
        var connection = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        var options = new MqttClientUnsubscribeOptionsBuilder().WithTopicFilter(filter).Build();
        try
        {
            await WithIdAsync(connection, () => _client.UnsubscribeAsync(options, CancellationToken.None), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (MqttExceptionTranslator.IsConnectionLost(e))
        {
            // Without a session the broker forgets the subscription with the connection; with one, the next connection
            // would restore it: drop it from what is restored either way, and say the UNSUBSCRIBE was not acknowledged.
            lock (_sync)
            {
                _subscriptions.Remove(filter);
            }

            throw new MqttNotConnectedException("The MQTT connection ended before the broker acknowledged the UNSUBSCRIBE.", e);
        }

        lock (_sync)
        {
            _subscriptions.Remove(filter);
        }
    }

    private Task<MqttClientSubscribeResult> SubscribeOnAsync(
        ConnectionState connection, IReadOnlyList<Subscription> subscriptions, CancellationToken cancellationToken)
    {
        var builder = new MqttClientSubscribeOptionsBuilder();
        foreach (var s in subscriptions)
        {
            builder.WithTopicFilter(s.Filter, s.Qos);
        }

        if (connection.SubscriptionIdentifiers && subscriptions.Count == 1)
        {
            // MQTT 5 §3.3.4: with overlapping subscriptions a broker may send one copy per subscription (mosquitto
            // does); the identifier in each copy says which handler it is for, so no handler sees a message twice.
            builder.WithSubscriptionIdentifier(subscriptions[0].Id);
        }

        var options = builder.Build();
        // CancellationToken.None: MQTTnet then bounds the wait by its own timeout, and a cancelled token cannot fail the
        // call after it took its packet id (which would put the id mirror out of step).
        return WithIdAsync(connection, () => _client.SubscribeAsync(options, CancellationToken.None), cancellationToken);
    }

    /// <summary>
    /// Runs an MQTTnet call that takes one packet id (QoS 1 publish, subscribe, unsubscribe) with the id mirror in step
    /// (see <see cref="PacketIdMirror"/>): when the next id still waits for its acknowledgment, waits until it is free
    /// instead of letting MQTTnet reuse it; releases the id when the call ends.
    /// </summary>
    private async Task<T> WithIdAsync<T>(ConnectionState connection, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task<T> task;
            ushort id;
            Task? free;
            lock (_idSync)
            {
                if (!connection.Ids.TryTake(out id, out free))
                {
                    task = null!;
                }
                else
                {
                    try
                    {
                        task = call();
                    }
                    catch
                    {
                        // Thrown before MQTTnet took the id (not connected, cancelled, invalid).
                        connection.Ids.Untake(id);
                        throw;
                    }

                    if (task.IsFaulted
                        && task.Exception?.InnerException is MqttClientNotConnectedException or ObjectDisposedException or MqttProtocolViolationException)
                    {
                        // An async method refused before MQTTnet took an id.
                        connection.Ids.Untake(id);
                    }
                }
            }

            if (free is not null)
            {
                await free.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            try
            {
                return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                lock (_idSync)
                {
                    connection.Ids.Release(id);
                }
            }
        }
    }

    private void DropRefused(Subscription subscription, MqttClientSubscribeResultCode code)
    {
        TransportLog.SubscriptionRefused(_log, subscription.Filter, ReasonCodes.Describe((int)code));
        lock (_sync)
        {
            if (_subscriptions.TryGetValue(subscription.Filter, out var current) && ReferenceEquals(current, subscription))
            {
                _subscriptions.Remove(subscription.Filter);
            }
        }
    }

    /// <summary>
    /// Delivers an incoming message to the handlers of the subscriptions it came for (by MQTT 5 subscription identifier
    /// where the broker supports them, else every matching filter: a broker without identifiers, AWS IoT Core among
    /// them, may then deliver a message twice to overlapping filters), one message at a time in arrival order
    /// (MQTTnet's receive queue); MQTTnet acknowledges QoS 1 after this returns, so a crash mid-handler gets the message
    /// redelivered.
    /// </summary>
    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        var topic = args.ApplicationMessage.Topic;
        var ids = args.ApplicationMessage.SubscriptionIdentifiers;
        Subscription[] matches;
        lock (_sync)
        {
            matches = ids is { Count: > 0 }
                ? _subscriptions.Values.Where(s => ids.Contains(s.Id)).ToArray()
                : _subscriptions.Values.Where(s => MqttTopicFilterComparer.Compare(topic, s.Filter) == MqttTopicFilterCompareResult.IsMatch).ToArray();
        }

        foreach (var subscription in matches)
        {
            try
            {
                await subscription.Handler(args.ApplicationMessage).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // One bad handler must not stop delivery to the others.
            catch (Exception e)
#pragma warning restore CA1031
            {
                TransportLog.HandlerFailed(_log, e, subscription.Filter, topic);
            }
        }
    }

    private sealed class Subscription(string filter, MqttQualityOfServiceLevel qos, Func<MqttApplicationMessage, ValueTask> handler, uint id)
    {
        public string Filter => filter;

        public MqttQualityOfServiceLevel Qos => qos;

        public Func<MqttApplicationMessage, ValueTask> Handler => handler;

        public uint Id => id;

        /// <summary>The broker granted it once; set under no lock, read by the restore (a late read only delays it a connection).</summary>
        public bool Confirmed { get; set; }
    }
}

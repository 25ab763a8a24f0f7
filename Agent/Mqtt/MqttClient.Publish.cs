using ShelfAgent.Mqtt.Packets;

namespace ShelfAgent.Mqtt;

/// <summary>Publishing and subscribing.</summary>
public sealed partial class MqttClient
{
    /// <summary>
    /// Publishes a message. QoS 1 completes at PUBACK: it waits for an in-flight window slot, and if the connection
    /// drops it stays pending and is resent after reconnect, in order, before new messages. QoS 0 completes once queued
    /// on a live connection (waiting for one if offline) and is lost if that connection drops. The payload must not
    /// change until the task completes. Cancelling stops the waiting, not a message already handed to the session.
    /// </summary>
    /// <exception cref="ArgumentException">QoS 2, payload over 128 KB, invalid topic, or an AWS IoT rule broken.</exception>
    public Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain, CancellationToken cancellationToken)
    {
        AwsIotLimits.CheckPublish(topic, payload.Length, qos, _awsRules);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _stopped), this);
        if (qos == MqttQos.AtMostOnce)
        {
            return PublishAtMostOnceAsync(new PublishPacket(topic, payload.ToArray(), qos, retain), cancellationToken);
        }

        // Fast path, no async state machine: a free window slot. The rate limits are applied by the connection's
        // writer, where the bytes enter the socket.
        var slot = _window.WaitAsync(cancellationToken);
        if (!slot.IsCompletedSuccessfully)
        {
            return PublishAtLeastOnceSlowAsync(slot, topic, payload, retain, cancellationToken);
        }

        var entry = Track(topic, payload, retain);
        return cancellationToken.CanBeCanceled ? entry.Task.WaitAsync(cancellationToken) : entry.Task;
    }

    /// <summary>
    /// Subscribes <paramref name="handler"/> to <paramref name="filter"/> (wildcards + and #, §4.7.1) and returns the
    /// granted QoS per filter, null where the broker refused (SUBACK 0x80). Handlers run one message at a time, in
    /// arrival order; a QoS 1 message is acknowledged after its handlers return. If offline, the request is sent on connect.
    /// </summary>
    public async Task<MqttQos?[]> SubscribeAsync(string filter, MqttQos qos, Func<MqttApplicationMessage, ValueTask> handler, CancellationToken cancellationToken)
    {
        AwsIotLimits.CheckSubscribe(filter, qos, _awsRules);
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new Subscription(filter, qos, handler);
        PendingRequest request;
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            _subscriptions[filter] = subscription;
            request = new PendingRequest(new SubscribePacket(AllocateId(), [new MqttTopicFilter(filter, qos)]));
            _requests.Add(request);
            _connection?.Enqueue(request.Packet);
        }

        var ack = (SubAckPacket)await request.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        DropRefusedSubscriptions((SubscribePacket)request.Packet, ack, subscription);
        return ack.ReturnCodes.Select(c => c == SubAckPacket.Failure ? (MqttQos?)null : (MqttQos)c).ToArray();
    }

    /// <summary>Removes a subscription (§3.10); its handler gets no more messages once the broker confirms.</summary>
    public async Task UnsubscribeAsync(string filter, CancellationToken cancellationToken)
    {
        MqttTopic.ValidateFilter(filter, nameof(filter));
        PendingRequest request;
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            request = new PendingRequest(new UnsubscribePacket(AllocateId(), [filter]));
            _requests.Add(request);
            _connection?.Enqueue(request.Packet);
        }

        await request.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_sync)
        {
            _subscriptions.Remove(filter);
        }
    }

    private async Task PublishAtMostOnceAsync(PublishPacket packet, CancellationToken cancellationToken)
    {
        // QoS 1 is bounded by the in-flight window; QoS 0 has none, so under rate limits it waits for the writer's
        // queue to come down to that size instead of growing it without bound.
        await WaitForSendRoomAsync(_options.MaxInFlight, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var connection = Volatile.Read(ref _connection);
            if (connection is not null && connection.Enqueue(packet))
            {
                return;
            }

            await WaitConnectedAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PublishAtLeastOnceSlowAsync(Task slot, string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken)
    {
        await slot.ConfigureAwait(false);
        var entry = Track(topic, payload, retain);
        await entry.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// With rate limits on, completes once the live connection has at most <paramref name="atMost"/> publishes
    /// queued behind the limits (at once without limits, or offline). A publisher that waits here before choosing
    /// its next message makes that choice as late as possible: an alert that arrives while a backlog drains goes
    /// out after the few batches already queued, not after everything the in-flight window would admit.
    /// </summary>
    public async Task WaitForSendRoomAsync(int atMost, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(atMost);
        if (_rate.IsUnlimited)
        {
            return;
        }

        while (Volatile.Read(ref _connection) is { } connection && connection.QueuedPublishes > atMost && !connection.Completion.IsCompleted)
        {
            // Also woken when that connection ends (Abort signals room); then the next one, if any, is looked at.
            await connection.WaitForRoomAsync(atMost, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gives the publish an id, appends it to the in-flight list and hands it to the live connection, atomically.</summary>
    private OutgoingPublish Track(string topic, ReadOnlyMemory<byte> payload, bool retain)
    {
        lock (_sync)
        {
            if (_stopped)
            {
                _window.Release();
                throw new ObjectDisposedException(nameof(MqttClient));
            }

            var entry = new OutgoingPublish(new PublishPacket(topic, payload, MqttQos.AtLeastOnce, retain, false, AllocateId()));
            entry.Node = _inflight.AddLast(entry);
            _inflightById[entry.Packet.PacketId] = entry;
            if (_connection is { } connection)
            {
                entry.Sent = connection.Enqueue(entry.Packet);
            }

            return entry;
        }
    }

    // Under the lock. The window (≤ 65,535) and a handful of requests cannot exhaust 65,535 ids in practice.
    private ushort AllocateId() => _ids.TryAllocate(out var id)
        ? id
        : throw new InvalidOperationException("All 65,535 MQTT packet ids are in flight (MQTT 3.1.1 §2.3.1).");
}

using ShelfAgent.Mqtt.Packets;

namespace ShelfAgent.Mqtt;

/// <summary>Session state across connections: acknowledgments, resends, subscription restore, incoming dispatch.</summary>
public sealed partial class MqttClient
{
    /// <summary>Runs on the reader loop; throwing <see cref="MqttProtocolException"/> resets the connection (§4.8).</summary>
    private void OnPacket(MqttPacket packet, MqttConnection connection)
    {
        switch (packet)
        {
            case PubAckPacket ack:
                CompletePublish(ack.PacketId);
                break;
            case SubAckPacket or UnsubAckPacket:
                CompleteRequest(packet);
                break;
            case PublishPacket publish when publish.Qos == MqttQos.ExactlyOnce:
                throw new MqttProtocolException("The broker sent a QoS 2 PUBLISH although we never subscribed with QoS 2 (MQTT 3.1.1 §3.8.4).");
            case PublishPacket publish:
                _incoming.Writer.TryWrite((publish, connection));
                break;
            case PingRespPacket:
                break;
            default:
                throw new MqttProtocolException($"The broker sent {packet.Type}, which a server never sends to a client (MQTT 3.1.1 §3).");
        }
    }

    private void CompletePublish(ushort packetId)
    {
        OutgoingPublish? entry;
        lock (_sync)
        {
            if (_inflightById.Remove(packetId, out entry))
            {
                _inflight.Remove(entry.Node!);
                _ids.Release(packetId);
            }
        }

        if (entry is null)
        {
            // A PUBACK for a message already acknowledged (e.g. both the original and the DUP resend were acked).
            MqttLog.UnknownPacketId(_log, "PUBACK", packetId);
            return;
        }

        _window.Release();
        entry.TrySetResult();
    }

    private void CompleteRequest(MqttPacket ack)
    {
        var id = ack is SubAckPacket s ? s.PacketId : ((UnsubAckPacket)ack).PacketId;
        PendingRequest? request;
        lock (_sync)
        {
            var index = _requests.FindIndex(r => r.Packet is SubscribePacket sp ? sp.PacketId == id && ack is SubAckPacket
                : ((UnsubscribePacket)r.Packet).PacketId == id && ack is UnsubAckPacket);
            if (index < 0)
            {
                request = null;
            }
            else
            {
                request = _requests[index];
                _requests.RemoveAt(index);
                _ids.Release(id);
            }
        }

        if (request is null)
        {
            MqttLog.UnknownPacketId(_log, ack.Type.ToString(), id);
            return;
        }

        if (ack is SubAckPacket subAck && subAck.ReturnCodes.Count != ((SubscribePacket)request.Packet).Filters.Count)
        {
            request.TrySetException(new MqttProtocolException("SUBACK return codes do not match the SUBSCRIBE filters (MQTT 3.1.1 §3.9.3)."));
            throw new MqttProtocolException("SUBACK return codes do not match the SUBSCRIBE filters (MQTT 3.1.1 §3.9.3).");
        }

        if (request.IsRestore)
        {
            DropRefusedSubscriptions((SubscribePacket)request.Packet, (SubAckPacket)ack, null);
        }

        request.TrySetResult(ack);
    }

    /// <summary>Removes the subscriptions a SUBACK refused with 0x80 (only if still the same registration).</summary>
    private void DropRefusedSubscriptions(SubscribePacket request, SubAckPacket ack, Subscription? only)
    {
        for (var i = 0; i < ack.ReturnCodes.Count; i++)
        {
            if (ack.ReturnCodes[i] != SubAckPacket.Failure)
            {
                continue;
            }

            var filter = request.Filters[i].Filter;
            MqttLog.SubscriptionRefused(_log, filter);
            lock (_sync)
            {
                if (_subscriptions.TryGetValue(filter, out var current) && (only is null || ReferenceEquals(current, only)))
                {
                    _subscriptions.Remove(filter);
                }
            }
        }
    }

    /// <summary>
    /// Called under the lock with a fresh connection, before any new packet can reach it. Without a session
    /// (§3.2.2.2) subscriptions are sent again; then pending requests; then every unacknowledged QoS 1 publish in
    /// its original order (§4.6), DUP set when the broker kept the session and had seen it (§4.4).
    /// </summary>
    private int RestoreSession(MqttConnection connection, bool sessionPresent)
    {
        if (!sessionPresent && _subscriptions.Count > 0)
        {
            var pending = _requests.Where(r => r.Packet is SubscribePacket).SelectMany(r => ((SubscribePacket)r.Packet).Filters).Select(f => f.Filter).ToHashSet(StringComparer.Ordinal);
            // AWS IoT takes at most 8 filters per SUBSCRIBE.
            foreach (var chunk in _subscriptions.Values.Where(s => !pending.Contains(s.Filter)).Chunk(8))
            {
                if (_ids.TryAllocate(out var id))
                {
                    _requests.Add(new PendingRequest(new SubscribePacket(id, chunk.Select(s => new MqttTopicFilter(s.Filter, s.Qos)).ToArray())) { IsRestore = true });
                }
            }
        }

        foreach (var request in _requests)
        {
            connection.Enqueue(request.Packet);
        }

        foreach (var entry in _inflight)
        {
            var dup = sessionPresent && entry.Sent;
            if (entry.Packet.Dup != dup)
            {
                entry.Packet = entry.Packet with { Dup = dup };
            }

            entry.Sent = connection.Enqueue(entry.Packet);
        }

        return _inflight.Count;
    }

    private void FailAllPending()
    {
        List<OutgoingPublish> publishes;
        List<PendingRequest> requests;
        lock (_sync)
        {
            publishes = [.. _inflight];
            requests = [.. _requests];
            _inflight.Clear();
            _inflightById.Clear();
            _requests.Clear();
            foreach (var p in publishes)
            {
                _ids.Release(p.Packet.PacketId);
            }

            foreach (var r in requests)
            {
                _ids.Release(r.Packet is SubscribePacket s ? s.PacketId : ((UnsubscribePacket)r.Packet).PacketId);
            }
        }

        foreach (var p in publishes)
        {
            p.TrySetException(new OperationCanceledException("The MQTT client stopped before the broker acknowledged this message."));
        }

        foreach (var r in requests)
        {
            r.TrySetException(new OperationCanceledException("The MQTT client stopped before the broker answered."));
        }
    }

    /// <summary>
    /// Delivers incoming messages in arrival order to every matching subscription's handler, then acknowledges
    /// QoS 1 (§4.3.2): acknowledging after the handler means a crash mid-handler gets the message redelivered.
    /// </summary>
    private async Task DispatchLoopAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        var reader = _incoming.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                var (publish, connection) = item;
                Subscription[] matches;
                lock (_sync)
                {
                    matches = _subscriptions.Values.Where(s => MqttTopic.Matches(s.Filter, publish.Topic)).ToArray();
                }

                var message = new MqttApplicationMessage(publish.Topic, publish.Payload, publish.Qos, publish.Retain, publish.Dup);
                foreach (var subscription in matches)
                {
                    try
                    {
                        await subscription.Handler(message).ConfigureAwait(false);
                    }
#pragma warning disable CA1031 // One bad handler must not stop delivery to the others.
                    catch (Exception e)
#pragma warning restore CA1031
                    {
                        MqttLog.HandlerFailed(_log, e, subscription.Filter, publish.Topic);
                    }
                }

                if (publish.Qos == MqttQos.AtLeastOnce)
                {
                    // If that connection is gone the broker redelivers on the next one (session kept).
                    connection.Enqueue(new PubAckPacket(publish.PacketId));
                }
            }

            if (cancellationToken.IsCancellationRequested && reader.Completion.IsCompleted)
            {
                return;
            }
        }
    }
}

using System.Text;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace ShelfAgent.Transport;

/// <summary>Publishing: the in-flight window, packet ids, pacing ahead of the metered channel, topic aliases, reason codes.</summary>
public sealed partial class MqttTransport
{
    // One publish at a time goes from pacing into MQTTnet when limits are on, so that at most one PUBLISH waits inside
    // MQTTnet's send lock and a PUBACK or PINGREQ never queues behind a paced backlog.
    private readonly SemaphoreSlim _sendTurn = new(1, 1);
    private readonly CancellationTokenSource _stopSending = new();
    private readonly Lock _idSync = new();
    private readonly Lock _roomSync = new();
    private TaskCompletionSource? _room;
    private int _waitingForLimits;
    private int _admitted;

    /// <summary>
    /// Publishes a message. QoS 1 completes at a successful PUBACK: it waits for a slot of the in-flight window, and
    /// fails with <see cref="MqttNotConnectedException"/> if the connection ends first (MQTTnet does not resend after a
    /// reconnect; the caller keeps the message and sends it again), with <see cref="MqttPublishRefusedException"/> when an
    /// MQTT 5 broker refuses it with a reason code. QoS 0 completes once written. Offline, both wait for a connection.
    /// The payload is not copied: it must not change until the task completes.
    /// </summary>
    /// <exception cref="ArgumentException">QoS 2, payload over 128 KB, invalid topic, or an AWS IoT rule broken.</exception>
    public Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfServiceLevel qos, bool retain, CancellationToken cancellationToken)
        => PublishCoreAsync(topic, payload, qos, retain, afterSubscriptions: false, cancellationToken);

    /// <summary>
    /// Publishes a request whose reply comes on a topic this transport subscribed to (AWS IoT's request/reply APIs:
    /// shadow, jobs, fleet provisioning), like <see cref="PublishAsync"/> but only on a connection whose subscriptions
    /// are all in place (<see cref="WaitSubscriptionsRestoredAsync"/>): after a reconnect that lost the session it waits
    /// until they are made again and acknowledged, so the broker never answers to a topic it does not yet route to us.
    /// Not retained.
    /// </summary>
    public Task PublishRequestAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfServiceLevel qos, CancellationToken cancellationToken)
        => PublishCoreAsync(topic, payload, qos, retain: false, afterSubscriptions: true, cancellationToken);

    private async Task PublishCoreAsync(
        string topic, ReadOnlyMemory<byte> payload, MqttQualityOfServiceLevel qos, bool retain, bool afterSubscriptions, CancellationToken cancellationToken)
    {
        AwsIotLimits.CheckPublish(topic, payload.Length, qos, _awsRules);
        if (qos == MqttQualityOfServiceLevel.AtMostOnce)
        {
            await PublishAdmittedAsync(topic, payload, qos, retain, afterSubscriptions, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Counted from here, whatever it waits for (a refusal's pause, a connection, the window): WaitForSendRoomAsync
        // tells a publisher there is room only while fewer QoS 1 publishes are under way than the window holds.
        Interlocked.Increment(ref _admitted);
        try
        {
            await PublishAdmittedAsync(topic, payload, qos, retain, afterSubscriptions, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _admitted);
            SignalRoom();
        }
    }

    private async Task PublishAdmittedAsync(
        string topic, ReadOnlyMemory<byte> payload, MqttQualityOfServiceLevel qos, bool retain, bool afterSubscriptions, CancellationToken cancellationToken)
    {
        var refusedWith = await WaitOutRefusalAsync(topic, cancellationToken).ConfigureAwait(false);
        // Connected: no wait (the common case, per message).
        var connection = Volatile.Read(ref _connection) ?? await CurrentAsync(cancellationToken).ConfigureAwait(false);
        if (afterSubscriptions)
        {
            // The same connection object goes on below: if it ends after this, the publish fails like any other
            // instead of going out on the next connection before its subscriptions are back.
            connection = await SubscribedConnectionAsync(connection, cancellationToken).ConfigureAwait(false);
        }

        // Two scopes: waiting for the window, the turn and the limits ends with a stop; waiting for the PUBACK of a
        // message already written does not (a stop lets those arrive, see StopAsync).
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connection.Ended);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(linked.Token, _stopSending.Token);
        var windowTaken = false;
        try
        {
            if (qos == MqttQualityOfServiceLevel.AtLeastOnce)
            {
                await connection.Window.WaitAsync(waiting.Token).ConfigureAwait(false);
                windowTaken = true;
            }

            var alias = AliasOf(topic, connection);
            var message = new MqttApplicationMessage
            {
                Topic = alias > 0 && connection.AliasKnown(alias) ? "" : topic,
                TopicAlias = (ushort)alias,
                // No copy: the caller keeps the payload unchanged until the task completes (the publisher's batch does).
                Payload = new System.Buffers.ReadOnlySequence<byte>(payload),
                QualityOfServiceLevel = qos,
                Retain = retain,
            };
            var result = await SendAsync(message, topic, refusedWith, payload.Length, connection, waiting.Token, linked.Token).ConfigureAwait(false);
            if (!result.IsSuccess)
            {
                throw Refused(topic, (int)result.ReasonCode, result.ReasonString);
            }

            if (alias > 0 && message.Topic.Length > 0)
            {
                connection.MarkAliasKnown(alias);
            }

            Accepted(topic);
        }
        catch (Exception e) when ((e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                                  && MqttExceptionTranslator.PublishFailed(e, Volatile.Read(ref _stopped), _options.WriteTimeout) is { } notConnected)
        {
            if (e is MqttCommunicationTimedOutException)
            {
                // No PUBACK within the write timeout while the connection looks open: it is half-open. Replace it.
                connection.Channel?.Dispose();
            }

            throw notConnected;
        }
        finally
        {
            if (windowTaken && !connection.Ended.IsCancellationRequested)
            {
                connection.Window.Release();
            }
        }
    }

    /// <summary>
    /// Completes once the transport would take another QoS 1 publish without queueing it: fewer publishes are under way
    /// (from the call to the PUBACK, whatever they wait for) than the in-flight window holds — min(<c>Mqtt:MaxInFlight</c>,
    /// the broker's Receive Maximum), <c>Mqtt:MaxInFlight</c> while offline — and, with rate limits on and connected, at
    /// most <paramref name="atMost"/> wait for the limits. A publisher that waits here before choosing its next message
    /// keeps no more than the window under way and makes that choice as late as possible: an alert that arrives while a
    /// backlog drains goes out after the few batches already waiting, not after everything the window would admit.
    /// </summary>
    public async Task WaitForSendRoomAsync(int atMost, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(atMost);
        while (true)
        {
            Task wait;
            lock (_roomSync)
            {
                if (HasRoom(atMost))
                {
                    return;
                }

                _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _room.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private bool HasRoom(int atMost)
    {
        var connection = Volatile.Read(ref _connection);
        var window = connection?.WindowSize ?? _options.MaxInFlight;
        return Volatile.Read(ref _admitted) < window
               && (_rate.IsUnlimited || connection is null || Volatile.Read(ref _waitingForLimits) <= atMost);
    }

    private async Task<MqttClientPublishResult> SendAsync(
        MqttApplicationMessage message,
        string topic,
        int? refusedWith,
        int payloadBytes,
        ConnectionState connection,
        CancellationToken waiting,
        CancellationToken cancellationToken)
    {
        if (_rate.IsUnlimited)
        {
            waiting.ThrowIfCancellationRequested();
            return await IssueAsync(message, topic, refusedWith, connection, cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Increment(ref _waitingForLimits);
        var turnTaken = false;
        try
        {
            await _sendTurn.WaitAsync(waiting).ConfigureAwait(false);
            turnTaken = true;
            // Pace here, ahead of the metered channel, so that it rarely has to hold a PUBLISH inside MQTTnet.
            var estimate = PublishRateLimiter.WireCost(PacketBytes(message, topic, payloadBytes));
            var wait = _rate.WaitTime(estimate, _time.GetElapsedTime(0));
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), _time, waiting).ConfigureAwait(false);
            }

            waiting.ThrowIfCancellationRequested();
            var charged = connection.Channel?.PublishesCharged ?? 0;
            var publish = IssueAsync(message, topic, refusedWith, connection, cancellationToken);
            // The turn passes on once the channel has charged this publish (or it failed before getting there).
            if (connection.Channel is { } channel)
            {
                await Task.WhenAny(channel.WaitChargedBeyondAsync(charged, cancellationToken), publish).ConfigureAwait(false);
            }

            Interlocked.Decrement(ref _waitingForLimits);
            _sendTurn.Release();
            turnTaken = false;
            SignalRoom();
            return await publish.ConfigureAwait(false);
        }
        finally
        {
            if (turnTaken)
            {
                Interlocked.Decrement(ref _waitingForLimits);
                _sendTurn.Release();
                SignalRoom();
            }
        }
    }

    /// <summary>
    /// Hands the message to MQTTnet with a packet id that is not in use (QoS 1), and releases the id when done. A QoS 1
    /// publish counts as awaiting its PUBACK on the connection until it comes, and stays counted if it never does: a
    /// close by the broker is then most likely about it (<paramref name="refusedWith"/>: the code the broker refused
    /// <paramref name="topic"/> with before, if it did).
    /// </summary>
    private async Task<MqttClientPublishResult> IssueAsync(
        MqttApplicationMessage message, string topic, int? refusedWith, ConnectionState connection, CancellationToken cancellationToken)
    {
        if (message.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtMostOnce)
        {
            return await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        }

        connection.PubAcks.Sending(topic, refusedWith);
        // MQTTnet gives the id synchronously inside this call, in call order: the mirror stays in step.
        var result = await WithIdAsync(connection, () => _client.PublishAsync(message, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            // Noted before the publish stops counting as unanswered, so a close that follows is never left unexplained.
            connection.PubAcks.Refused(topic, (int)result.ReasonCode);
        }

        connection.PubAcks.Answered(topic, refusedWith);
        return result;
    }

    private int AliasOf(string topic, ConnectionState connection)
    {
        for (var i = 0; i < connection.TopicAliases; i++)
        {
            if (string.Equals(_options.AliasedTopics[i], topic, StringComparison.Ordinal))
            {
                return i + 1;
            }
        }

        return 0;
    }

    // For pacing only: the channel charges the exact packet MQTTnet writes.
    private int PacketBytes(MqttApplicationMessage message, string topic, int payloadBytes) => PublishPacketSize.Of(
        message.Topic.Length == 0 ? 0 : Encoding.UTF8.GetByteCount(topic),
        payloadBytes,
        withPacketId: message.QualityOfServiceLevel != MqttQualityOfServiceLevel.AtMostOnce,
        _options.ProtocolVersion == MQTTnet.Formatter.MqttProtocolVersion.V500
            ? (message.TopicAlias > 0 ? PublishPacketSize.TopicAliasPropertyBytes : 0)
            : null);

    private async Task DrainInFlightAsync(ConnectionState connection, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = _time.GetTimestamp() + (long)(limit.TotalSeconds * _time.TimestampFrequency);
        while (connection.Window.CurrentCount < connection.WindowSize && !connection.Ended.IsCancellationRequested
               && _time.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private void SignalRoom()
    {
        // Always under the lock: a waiter checks the count and registers under it.
        TaskCompletionSource? room;
        lock (_roomSync)
        {
            room = _room;
            _room = null;
        }

        room?.TrySetResult();
    }
}

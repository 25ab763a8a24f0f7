using System.Buffers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using ShelfAgent.Contract;
using ShelfAgent.Outbox;
using ShelfAgent.Transport;

namespace ShelfAgent.Pipeline;

/// <summary>
/// Moves readings from the outbox to the broker: leases a batch, encodes it, publishes it at QoS 1 and
/// deletes it only at PUBACK. A batch whose PUBACK did not come before the connection ended goes back to the outbox
/// and is leased again on the next connection (MQTTnet does not resend), so only in-flight batches are repeated. It
/// leases the next batch only when the connection has room for it (<see cref="IMessagePublisher.WaitForSendRoomAsync"/>):
/// a free slot of the transport's in-flight window (<c>Mqtt:MaxInFlight</c>, the one window), and under rate limits at
/// most <see cref="QueuedAhead"/> publishes waiting for the limits. So a backlog drains at the broker's pace and the
/// lanes (events and alerts, live, backlog) decide what goes next at the last moment. A partial batch (live data)
/// waits <c>Publish:IntervalMs</c> for more (with minute summaries spread: until the device's second of the minute).
/// After a publish failed for want of a connection it pauses with backoff (<see cref="PublishRetryPause"/>) before it
/// leases again, so it never spins while the transport catches up.
/// </summary>
public sealed partial class PublishingService(
    IOutbox outbox,
    IMessagePublisher client,
    PublishSettings settings,
    TimeProvider time,
    ILogger<PublishingService> logger,
    PipelineProgress? progress = null) : BackgroundService
{
    private readonly PublishRetryPause _retryPause = new();
    private long _published;
    private long _intervalTicks = settings.Interval.Ticks;

    /// <summary>Readings acknowledged by the broker since start.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary><c>Publish:IntervalMs</c> in effect.</summary>
    public TimeSpan Interval => TimeSpan.FromTicks(Interlocked.Read(ref _intervalTicks));

    /// <summary><c>Publish:IntervalMs</c> accepted at runtime: used from the next wait for live readings on. Thread-safe.</summary>
    public void Reconfigure(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        Interlocked.Exchange(ref _intervalTicks, interval.Ticks);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pending = new HashSet<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Waiting for a connection or for data is having nothing to do, not a stall (WatchdogRule).
                progress?.PublisherWaiting();
                await PauseAfterFailureAsync(stoppingToken).ConfigureAwait(false);
                await client.WaitConnectedAsync(stoppingToken).ConfigureAwait(false);
                if (!_atLiveGate)
                {
                    await outbox.WaitForDataAsync(stoppingToken).ConfigureAwait(false);
                }

                progress?.PublisherWorking();
                await client.WaitForSendRoomAsync(QueuedAhead, stoppingToken).ConfigureAwait(false);
                var events = await outbox.LeaseEventsAsync(EventsPerBatch, stoppingToken).ConfigureAwait(false);
                if (!events.IsEmpty)
                {
                    // First lane: events and alerts go ahead of any telemetry.
                    Track(pending, PublishEventsAsync(events, stoppingToken));
                    continue;
                }

                if (LiveGateClosed())
                {
                    // Woken by an event before this device's second of the minute: the summaries wait for it.
                    await PauseAsync(stoppingToken).ConfigureAwait(false);
                    continue;
                }

                _atLiveGate = false;
                var batch = await outbox.LeaseAsync(settings.MaxReadingsPerBatch, stoppingToken).ConfigureAwait(false);
                if (batch.Readings.Count == 0)
                {
                    CloseLiveGate();
                    await PauseAsync(stoppingToken).ConfigureAwait(false);
                    continue;
                }

                var full = batch.Readings.Count >= settings.MaxReadingsPerBatch;
                var (payload, sent) = Encode(batch, moreWaiting: full);
                Track(pending, PublishAsync(sent, payload, stoppingToken));
                if (!full)
                {
                    // Nothing more was waiting (live data only): let a few sampling ticks accumulate.
                    CloseLiveGate();
                    await PauseAsync(stoppingToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            Task[] left;
            lock (pending)
            {
                left = [.. pending];
            }

            // Unacknowledged batches simply stay in the outbox file for the next run.
            await Task.WhenAll(left).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private const int EventsPerBatch = 20;

    // With minute summaries spread (SummarySecond): once live data has caught up, telemetry is leased again only at the
    // device's next second of the minute — even when an event or alert wakes the loop earlier — so the fleet's summaries
    // do not leave together at :00 behind the forecasts every device makes then. Only the publishing loop touches it.
    private DateTimeOffset _liveGate = DateTimeOffset.MinValue;

    // The pause ended at the device's second: look at telemetry now even if nothing waits (then the gate closes again
    // until the next minute), so summaries committed later in the minute do not slip out the moment they arrive.
    private bool _atLiveGate;

    private void CloseLiveGate()
    {
        if (settings.SummaryOffset is { } offset)
        {
            var now = time.GetUtcNow();
            _liveGate = now + SummarySecond.Until(now, offset);
        }
    }

    // Open once the second has come; also when the clock stepped back past a minute (the gate is never over a minute away).
    private bool LiveGateClosed()
    {
        var left = _liveGate - time.GetUtcNow();
        return left > TimeSpan.Zero && left <= TimeSpan.FromMinutes(1);
    }

    /// <summary>
    /// Batches queued behind the rate limits before the next is leased: enough that leasing and encoding (a few ms)
    /// never leaves the budget unused, few enough that an alert waits only for them (~50 ms under AWS limits).
    /// </summary>
    private const int QueuedAhead = 2;

    /// <summary>
    /// Waits <c>Publish:IntervalMs</c> for live readings to accumulate — with minute summaries spread, until the device's
    /// second of the minute (<see cref="SummarySecond"/>) — but no longer than until an event or alert is appended: the
    /// first lane goes out at once, not at the next tick.
    /// </summary>
    private async Task PauseAsync(CancellationToken cancellationToken)
    {
        using var pause = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tick = Task.Delay(LiveGateClosed() ? _liveGate - time.GetUtcNow() : Interval, time, pause.Token);
        var firstLane = outbox.WaitForEventsAsync(pause.Token).AsTask();
        await Task.WhenAny(tick, firstLane).ConfigureAwait(false);
        _atLiveGate = settings.SummaryOffset is not null && tick.IsCompletedSuccessfully;
        await pause.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(tick, firstLane).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// After a publish failed for want of a connection, waits (<see cref="PublishRetryPause"/>) before the next lease:
    /// the transport may still report connected while every publish fails at once, and the loop must not spin on it.
    /// </summary>
    private async Task PauseAfterFailureAsync(CancellationToken cancellationToken)
    {
        var pause = _retryPause.Take(Random.Shared.NextDouble());
        if (pause > TimeSpan.Zero)
        {
            await Task.Delay(pause, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Track(HashSet<Task> pending, Task task)
    {
        lock (pending)
        {
            pending.Add(task);
        }

        _ = task.ContinueWith(
            t => { lock (pending) { pending.Remove(t); } }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task PublishEventsAsync(OutboxBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            // Each event is its own message on its kind's topic; the batch is acknowledged when all are.
            await Task.WhenAll(batch.Events.Select(e => client.PublishAsync(
                settings.Topics.ForEventKind(e.Event.Kind),
                StockMessagePayload.Encode(settings.Envelope, e.Event),
                MqttQualityOfServiceLevel.AtLeastOnce,
                false,
                cancellationToken))).ConfigureAwait(false);
            await outbox.AckAsync(batch, CancellationToken.None).ConfigureAwait(false);
            _retryPause.Succeeded();
            progress?.Acknowledged();
        }
        catch (Exception e)
        {
            NoteAnswer(e);
            outbox.Release(batch);
            LogFailure(batch.Events.Count, e);
        }
    }

    private (byte[] Payload, OutboxBatch Sent) Encode(OutboxBatch batch, bool moreWaiting)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Min(settings.MaxPayloadBytes, 16 * 1024));
        // Live data and backlog go in the compact v2 by default (docs/data-contract-v2.md): about nine times fewer bytes
        // per reading against AWS IoT's 512 KB/s and its 5 KB metering units; each can be set to v1 (PublishSettings.UseCompact).
        var now = time.GetUtcNow();
        var taken = settings.UseCompact(batch.Readings, now, moreWaiting)
            ? TelemetryV2Encoder.Encode(buffer, settings.Envelope, now, batch.Readings, batch.Dropped, settings.BacklogPayloadBytes)
            : TelemetryV1Encoder.Encode(buffer, settings.Envelope, now, batch.Readings, batch.Dropped, settings.LivePayloadBytes);
        if (taken == batch.Readings.Count)
        {
            return (buffer.WrittenSpan.ToArray(), batch);
        }

        // What did not fit goes back to the queue for the next batch.
        var rest = batch.Readings.Skip(taken).ToList();
        outbox.Release(new OutboxBatch(rest, new Dictionary<string, long>()) { Lane = batch.Lane });
        return (buffer.WrittenSpan.ToArray(), batch with { Readings = batch.Readings.Take(taken).ToList() });
    }

    private async Task PublishAsync(OutboxBatch batch, byte[] payload, CancellationToken cancellationToken)
    {
        try
        {
            await client.PublishAsync(settings.TelemetryTopic, payload, MqttQualityOfServiceLevel.AtLeastOnce, false, cancellationToken)
                .ConfigureAwait(false);
            await outbox.AckAsync(batch, CancellationToken.None).ConfigureAwait(false);
            _retryPause.Succeeded();
            progress?.Acknowledged();
            Interlocked.Add(ref _published, batch.Readings.Count);
            LogPublished(logger, batch.Readings.Count, batch.Readings[0].Seq, batch.Readings[^1].Seq, payload.Length);
        }
        catch (Exception e)
        {
            // One failed publish must not stop the agent: the readings go back and are sent again.
            NoteAnswer(e);
            outbox.Release(batch);
            LogFailure(batch.Readings.Count, e);
        }
    }

    /// <summary>
    /// A refused publish still came back with a PUBACK (MQTT 5 reason code ≥ 0x80): the loop and the connection work,
    /// so the watchdog must not restart the agent over it. A restart cannot change the broker's policy; the refusal is
    /// logged (once per topic and reason) and `doctor` names it.
    /// </summary>
    private void NoteAnswer(Exception e)
    {
        if (e is MqttPublishRefusedException)
        {
            progress?.Acknowledged();
        }
        else if (e is MqttNotConnectedException)
        {
            _retryPause.Failed();
        }
    }

    private void LogFailure(int count, Exception e)
    {
        switch (e)
        {
            case OperationCanceledException:
                break;
            case MqttNotConnectedException or MqttPublishRefusedException:
                // Expected: the connection dropped (the supervisor logs it once) or the broker refused (the transport
                // logs each reason once). MQTTnet does not resend after a reconnect; the outbox does.
                LogPublishReturned(logger, count, e.Message);
                break;
            default:
                LogPublishFailed(logger, count, e);
                break;
        }
    }

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "{Count} readings go back to the buffer and are sent again: {Reason}")]
    private static partial void LogPublishReturned(ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Published {Count} readings (seq {FirstSeq}–{LastSeq}, {Bytes} bytes)")]
    private static partial void LogPublished(ILogger logger, int count, long firstSeq, long lastSeq, int bytes);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Publishing {Count} readings failed; they stay buffered")]
    private static partial void LogPublishFailed(ILogger logger, int count, Exception exception);
}

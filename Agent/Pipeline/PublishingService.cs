using System.Buffers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ShelfAgent.Outbox;
using ShelfAgent.Contract;
using MQTTnet.Protocol;
using ShelfAgent.Transport;

namespace ShelfAgent.Pipeline;

/// <summary>
/// Moves readings from the outbox to the broker: leases a batch, encodes it, publishes it at QoS 1 and
/// deletes it only at PUBACK. A batch whose PUBACK did not come before the connection ended goes back to the outbox
/// and is leased again on the next connection (MQTTnet does not resend), so only in-flight batches are repeated. Up to <c>Mqtt:MaxInFlight</c> batches are in flight at once, so a backlog
/// drains at the broker's pace; a partial batch (live data) waits <c>Publish:IntervalMs</c> for more. Under rate
/// limits it leases the next batch only when the connection has at most <see cref="QueuedAhead"/> publishes
/// waiting for the limits, so the lanes (events and alerts, live, backlog) decide what goes next at the last moment.
/// </summary>
public sealed partial class PublishingService(
    IOutbox outbox,
    IMessagePublisher client,
    PublishSettings settings,
    TimeProvider time,
    ILogger<PublishingService> logger) : BackgroundService
{
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
        using var window = new SemaphoreSlim(settings.MaxInFlight, settings.MaxInFlight);
        var pending = new HashSet<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await client.WaitConnectedAsync(stoppingToken).ConfigureAwait(false);
                await outbox.WaitForDataAsync(stoppingToken).ConfigureAwait(false);
                await window.WaitAsync(stoppingToken).ConfigureAwait(false);
                try
                {
                    await client.WaitForSendRoomAsync(QueuedAhead, stoppingToken).ConfigureAwait(false);
                }
                catch
                {
                    window.Release();
                    throw;
                }

                var events = await outbox.LeaseEventsAsync(EventsPerBatch, stoppingToken).ConfigureAwait(false);
                if (!events.IsEmpty)
                {
                    // First lane: events and alerts go ahead of any telemetry.
                    Track(pending, PublishEventsAsync(events, window, stoppingToken));
                    continue;
                }

                var batch = await outbox.LeaseAsync(settings.MaxReadingsPerBatch, stoppingToken).ConfigureAwait(false);
                if (batch.Readings.Count == 0)
                {
                    window.Release();
                    await PauseAsync(stoppingToken).ConfigureAwait(false);
                    continue;
                }

                var full = batch.Readings.Count >= settings.MaxReadingsPerBatch;
                var (payload, sent) = Encode(batch, moreWaiting: full);
                Track(pending, PublishAsync(sent, payload, window, stoppingToken));
                if (!full)
                {
                    // Nothing more was waiting (live data only): let a few sampling ticks accumulate.
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

    /// <summary>
    /// Batches queued behind the rate limits before the next is leased: enough that leasing and encoding (a few ms)
    /// never leaves the budget unused, few enough that an alert waits only for them (~50 ms under AWS limits).
    /// </summary>
    private const int QueuedAhead = 2;

    /// <summary>
    /// Waits <c>Publish:IntervalMs</c> for live readings to accumulate, but no longer than until an event or alert
    /// is appended: the first lane goes out at once, not at the next tick.
    /// </summary>
    private async Task PauseAsync(CancellationToken cancellationToken)
    {
        using var pause = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tick = Task.Delay(Interval, time, pause.Token);
        var firstLane = outbox.WaitForEventsAsync(pause.Token).AsTask();
        await Task.WhenAny(tick, firstLane).ConfigureAwait(false);
        await pause.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(tick, firstLane).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static void Track(HashSet<Task> pending, Task task)
    {
        lock (pending)
        {
            pending.Add(task);
        }

        _ = task.ContinueWith(t => { lock (pending) { pending.Remove(t); } }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task PublishEventsAsync(OutboxBatch batch, SemaphoreSlim window, CancellationToken cancellationToken)
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
        }
        catch (Exception e)
        {
            outbox.Release(batch);
            LogFailure(batch.Events.Count, e);
        }
        finally
        {
            window.Release();
        }
    }

    private (byte[] Payload, OutboxBatch Sent) Encode(OutboxBatch batch, bool moreWaiting)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Min(settings.MaxPayloadBytes, 16 * 1024));
        // Live data stays in the readable v1 while the device keeps up; a backlog drains in the compact v2
        // (docs/data-contract-v2.md), about nine times fewer bytes per reading against AWS IoT's 512 KB/s.
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

    private async Task PublishAsync(OutboxBatch batch, byte[] payload, SemaphoreSlim window, CancellationToken cancellationToken)
    {
        try
        {
            await client.PublishAsync(settings.Topics.Telemetry, payload, MqttQualityOfServiceLevel.AtLeastOnce, false, cancellationToken).ConfigureAwait(false);
            await outbox.AckAsync(batch, CancellationToken.None).ConfigureAwait(false);
            Interlocked.Add(ref _published, batch.Readings.Count);
            LogPublished(logger, batch.Readings.Count, batch.Readings[0].Seq, batch.Readings[^1].Seq, payload.Length);
        }
        catch (Exception e)
        {
            // One failed publish must not stop the agent: the readings go back and are sent again.
            outbox.Release(batch);
            LogFailure(batch.Readings.Count, e);
        }
        finally
        {
            window.Release();
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

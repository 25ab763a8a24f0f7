using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ShelfAgent.Contract;
using ShelfAgent.Outbox;
using ShelfAgent.Pipeline;
using ShelfAgent.Stock;
using ShelfAgent.Tests.Fakes;
using ShelfAgent.Transport;
using static ShelfAgent.Tests.Outbox.OutboxTestData;

namespace ShelfAgent.Tests.Pipeline;

/// <summary>The publishing loop against a real outbox file and an in-memory publisher: its rules without a broker.</summary>
public sealed class PublishingServiceTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly TelemetryEnvelope Envelope = new("shelf-test-01", "store-1");
    private readonly TempDirectory _dir = new();
    private readonly ScriptedPublisher _publisher = new();
    private SqliteOutbox _outbox = null!;

    public async Task InitializeAsync() => _outbox = await OpenAsync(_dir.File("outbox.db"));

    public async Task DisposeAsync() => await _outbox.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_batch_leaves_the_outbox_only_at_its_puback()
    {
        await _outbox.AppendAsync(Readings(5), CancellationToken.None);
        var service = await StartAsync();

        var publish = await _publisher.NextAsync(Patience);

        Assert.Equal("dt/shelf/store-1/shelf-test-01/telemetry", publish.Topic);
        Assert.Equal(5, ReadingsIn(publish));
        Assert.Equal(5, Scalar(_outbox.Path, "SELECT count(*) FROM reading;")); // in flight, still stored
        publish.Ack();
        await WaitUntilAsync(() => service.Published == 5);
        Assert.Equal(0, Scalar(_outbox.Path, "SELECT count(*) FROM reading;"));
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_publish_that_fails_returns_its_readings_and_they_are_sent_again()
    {
        await _outbox.AppendAsync(Readings(5), CancellationToken.None);
        var service = await StartAsync();

        var first = await _publisher.NextAsync(Patience);
        first.Fail(new MqttNotConnectedException("connection lost before PUBACK"));
        var again = await _publisher.NextAsync(Patience);
        again.Ack();

        await WaitUntilAsync(() => service.Published == 5);
        Assert.Equal(Seqs(first), Seqs(again));
        Assert.Equal(0, Scalar(_outbox.Path, "SELECT count(*) FROM reading;"));
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task An_alert_goes_before_waiting_telemetry_on_its_topic_encoded_from_the_stored_message()
    {
        var alert = new StockAlert(Now, "A1", "COLA-355", StockAlertType.Low, 2);
        await _outbox.AppendAsync(Readings(3), CancellationToken.None);
        await _outbox.AppendEventAsync(new OutboxEvent(alert), CancellationToken.None);
        var service = await StartAsync();

        var first = await _publisher.NextAsync(Patience);
        first.Ack();
        var second = await _publisher.NextAsync(Patience);
        second.Ack();

        Assert.Equal("dt/shelf/store-1/shelf-test-01/alerts", first.Topic);
        Assert.Equal(StockMessagePayload.Encode(Envelope, alert), first.Payload);
        Assert.EndsWith("/telemetry", second.Topic, StringComparison.Ordinal);
        await WaitUntilAsync(() => service.Published == 3);
        // The alert's own ack commits on its own; wait for it rather than for the telemetry's.
        await WaitUntilAsync(() => Scalar(_outbox.Path, "SELECT count(*) FROM event;") == 0);
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task No_more_batches_wait_for_their_puback_than_the_connections_window_holds()
    {
        const int maxInFlight = 3;
        const int total = 600;
        await _outbox.AppendAsync(Readings(total, "A1", Now.AddHours(-2)), CancellationToken.None); // a backlog: full batches
        var service = await StartAsync(maxInFlight, maxPayloadBytes: 1024);

        // Hold every publish unacknowledged until the window is full, then release the oldest: a loop that went past
        // its window would have a fourth publish outstanding while three are held.
        var held = new Queue<ScriptedPublisher.Publish>();
        var batches = 0;
        while (service.Published + held.Sum(ReadingsIn) < total)
        {
            if (held.Count < maxInFlight)
            {
                held.Enqueue(await _publisher.NextAsync(Patience));
                batches++;
            }
            else
            {
                held.Dequeue().Ack();
            }
        }

        while (held.TryDequeue(out var last))
        {
            last.Ack();
        }

        await WaitUntilAsync(() => service.Published == total);
        Assert.True(batches > maxInFlight, $"{batches} batches");
        Assert.Equal(maxInFlight, _publisher.MostOutstanding);
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Waiting_for_data_is_idle_a_held_publish_is_work_and_its_puback_is_progress_for_the_watchdog()
    {
        var watchdogTime = new FakeTimeProvider();
        var progress = new PipelineProgress(watchdogTime);
        var bounds = WatchdogBounds.For(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        var service = await StartAsync(progress: progress);
        await WaitUntilAsync(() => progress.Snapshot().PublisherIdle);

        await _outbox.AppendAsync(Readings(5), CancellationToken.None);
        var publish = await _publisher.NextAsync(Patience);
        Assert.False(progress.Snapshot().PublisherIdle);
        watchdogTime.Advance(bounds.Publishing + TimeSpan.FromSeconds(1));
        progress.Committed();
        Assert.Equal(WatchdogVerdict.PublishingStalled, WatchdogRule.Check(progress.Snapshot(), bounds));

        publish.Ack();
        await WaitUntilAsync(() => service.Published == 5);
        Assert.Equal(TimeSpan.Zero, progress.Snapshot().SinceAck); // the watchdog's clock has not moved since the stall
        Assert.Equal(WatchdogVerdict.Healthy, WatchdogRule.Check(progress.Snapshot(), bounds));
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_refused_publish_counts_as_the_brokers_answer_for_the_watchdog_and_its_readings_stay()
    {
        var watchdogTime = new FakeTimeProvider();
        var progress = new PipelineProgress(watchdogTime);
        await _outbox.AppendAsync(Readings(5), CancellationToken.None);
        var service = await StartAsync(progress: progress);
        var publish = await _publisher.NextAsync(Patience);
        watchdogTime.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(TimeSpan.FromMinutes(5), progress.Snapshot().SinceAck);

        // AWS IoT or mosquitto refusing by policy: PUBACK with 0x87. Restarting would not change the policy.
        publish.Fail(new MqttPublishRefusedException("dt/shelf/store-1/shelf-test-01/telemetry", 0x87, null));
        var again = await _publisher.NextAsync(Patience);

        Assert.Equal(TimeSpan.Zero, progress.Snapshot().SinceAck);
        Assert.Equal(Seqs(publish), Seqs(again));
        Assert.Equal(5, Scalar(_outbox.Path, "SELECT count(*) FROM reading;"));
        again.Ack();
        await WaitUntilAsync(() => service.Published == 5);
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Does_not_spin_when_publishes_fail_not_connected_while_the_transport_reports_connected()
    {
        // A backlog (full batches: no interval pause) and a transport that says connected but fails every publish at
        // once, as MQTTnet does between a dropped socket and the transport's handling of it. The clock stands still
        // unless the test moves it: each failure must park the loop on it before the next lease, so the publishes made
        // are counted exactly, round by round.
        var clock = new WatchedClock();
        await _outbox.AppendAsync(Readings(600, "A1", Now.AddHours(-2)), CancellationToken.None);
        _publisher.FailAtOnce = new MqttNotConnectedException();
        var service = await StartAsync(maxInFlight: 1, maxPayloadBytes: 1024, time: clock);
        const int rounds = 6;
        for (var round = 1; round <= rounds; round++)
        {
            await Eventually.UntilAsync(
                () => clock.Waits == round, Patience, $"the loop paused after failed publish {round}", () => $"{_publisher.Publishes} publishes made");
            Assert.Equal(round, _publisher.Publishes);
            clock.Advance(PublishRetryPause.Max);
        }

        // Backoff: each pause in [c/2, c) of a ceiling that doubles from 250 ms up to 8 s.
        for (var i = 0; i < rounds; i++)
        {
            var ceiling = TimeSpan.FromTicks(Math.Min(PublishRetryPause.Max.Ticks, PublishRetryPause.Min.Ticks << i));
            Assert.InRange(clock.DueTimes[i], ceiling / 2, ceiling);
        }

        // The connection works again: publishes go out and are acknowledged, and the next failure pauses briefly again.
        await WaitUntilAsync(() => _publisher.Publishes == rounds + 1);
        _publisher.FailAtOnce = null;
        clock.Advance(PublishRetryPause.Max);
        (await _publisher.NextAsync(Patience)).Ack();
        await WaitUntilAsync(() => service.Published > 0);
        var next = await _publisher.NextAsync(Patience);
        _publisher.FailAtOnce = new MqttNotConnectedException();
        next.Fail(new MqttNotConnectedException());
        await WaitUntilAsync(() => clock.Waits == rounds + 2);
        // One or two failures since the acknowledgement (the one failed here, and the next lease's if it came first).
        Assert.InRange(clock.DueTimes[rounds + 1], PublishRetryPause.Min / 2, PublishRetryPause.Min * 2);
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Sends_an_alert_at_once_but_holds_the_summaries_for_its_second_when_they_are_spread()
    {
        // Publish:SpreadSummaries: after a partial (live) batch the loop waits until the device's second of the minute, not
        // Publish:IntervalMs (20 ms here). Every device makes its forecasts as a minute closes; waking for them must not
        // send the minute's summaries at :00.
        var clock = new WatchedClock();
        clock.SetUtcNow(new DateTimeOffset(2026, 12, 7, 10, 0, 4, TimeSpan.Zero));
        await _outbox.AppendAsync(Readings(5, "A1", clock.GetUtcNow()), CancellationToken.None);
        var service = await StartAsync(time: clock, summaryOffset: TimeSpan.FromSeconds(31.5));
        (await _publisher.NextAsync(Patience)).Ack();
        await Eventually.UntilAsync(() => clock.Waits >= 1, Patience, "the loop paused after the live batch");
        Assert.Equal(TimeSpan.FromSeconds(27.5), clock.DueTimes[0]);

        clock.Advance(TimeSpan.FromSeconds(55)); // 10:00:59: its second has passed, nothing waits; parked until 10:01:31.5
        await Eventually.UntilAsync(() => clock.Waits >= 2, Patience, "the loop found nothing at its second and paused");
        clock.Advance(TimeSpan.FromSeconds(1)); // 10:01:00 — the next minute's summaries and an alert arrive
        await _outbox.AppendAsync(Readings(5, "A1", clock.GetUtcNow()), CancellationToken.None);
        await _outbox.AppendEventAsync(new OutboxEvent(new StockAlert(clock.GetUtcNow(), "A1", "COLA-355", StockAlertType.Low, 2)),
            CancellationToken.None);
        var alert = await _publisher.NextAsync(Patience);
        alert.Ack();
        Assert.EndsWith("/alerts", alert.Topic, StringComparison.Ordinal);
        // The loop parks again until 10:01:31.5 (its second) without leasing the summaries.
        await Eventually.UntilAsync(() => clock.Waits >= 3, Patience, "the loop paused again after the alert");
        Assert.Equal(2, _publisher.Publishes);
        Assert.Equal(TimeSpan.FromSeconds(31.5), clock.DueTimes[^1]);

        clock.Advance(TimeSpan.FromSeconds(31.5));
        var summaries = await _publisher.NextAsync(Patience);
        summaries.Ack();
        Assert.EndsWith("/telemetry", summaries.Topic, StringComparison.Ordinal);
        Assert.Equal(5, ReadingsIn(summaries));
        await service.StopAsync(CancellationToken.None);
    }

    private async Task<PublishingService> StartAsync(
        int maxInFlight = 4, int maxPayloadBytes = 64 * 1024, PipelineProgress? progress = null, TimeProvider? time = null,
        TimeSpan? summaryOffset = null)
    {
        var settings = new PublishSettings(new Topics(Envelope.StoreId, Envelope.ThingName), Envelope, TimeSpan.FromMilliseconds(20), maxPayloadBytes,
            SummaryOffset: summaryOffset);
        _publisher.Window = maxInFlight;
        var service = new PublishingService(_outbox, _publisher, settings, time ?? TimeProvider.System, NullLogger<PublishingService>.Instance, progress);
        _publisher.Connect();
        await service.StartAsync(CancellationToken.None);
        return service;
    }

    private static int ReadingsIn(ScriptedPublisher.Publish publish) => Seqs(publish).Count;

    /// <summary>The seq of every reading in a v1 or v2 telemetry payload.</summary>
    private static List<long> Seqs(ScriptedPublisher.Publish publish)
    {
        using var doc = JsonDocument.Parse(publish.Payload);
        var root = doc.RootElement;
        if (root.TryGetProperty("readings", out var readings))
        {
            return readings.EnumerateArray().Select(r => r.GetProperty("seq").GetInt64()).ToList();
        }

        return TelemetryV2Decoder.Decode(publish.Payload).Readings.Select(r => r.Seq).ToList();
    }

    private static Task WaitUntilAsync(Func<bool> condition) =>
        Eventually.UntilAsync(condition, Patience, "the publisher got there", every: TimeSpan.FromMilliseconds(10));
}

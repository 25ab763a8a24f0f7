using Microsoft.Extensions.Time.Testing;
using ShelfAgent.Outbox;
using ShelfAgent.Stock;
using static ShelfAgent.Tests.Outbox.OutboxTestData;

namespace ShelfAgent.Tests.Outbox;

/// <summary>
/// The <see cref="IOutbox"/> contract, run against every implementation (the agent's <see cref="SqliteOutbox"/>, the
/// simulator's in-memory one): lanes, leases, acknowledgements, releases, sequence numbers, eviction when full, waits.
/// What the publisher sees must not depend on which one a device has, or the simulator would test something else.
/// </summary>
public abstract class OutboxContractTests : IDisposable
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    protected TempDirectory Dir { get; } = new();

    public void Dispose()
    {
        Dir.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A new, empty outbox of the implementation under test.</summary>
    protected abstract Task<IOutbox> OpenAsync(TimeProvider time, long maxBytes = 256L * 1024 * 1024);

    [Fact]
    public async Task Sequence_numbers_start_at_1_and_follow_the_appends()
    {
        await using var outbox = await OpenAsync(new FakeTimeProvider(T0));
        var first = await outbox.AppendAsync(Readings(3, "A1", T0), CancellationToken.None);
        var second = await outbox.AppendAsync(Readings(2, "B1", T0), CancellationToken.None);
        Assert.Equal([1L, 2, 3], first);
        Assert.Equal([4L, 5], second);
        Assert.Empty(await outbox.AppendAsync([], CancellationToken.None));
    }

    [Fact]
    public async Task Events_then_live_then_backlog_oldest_first()
    {
        var time = new FakeTimeProvider(T0);
        await using var outbox = await OpenAsync(time);
        await outbox.AppendAsync(Readings(5, "A1", T0.AddHours(-2)), CancellationToken.None); // seq 1–5: a backlog
        await outbox.AppendAsync(Readings(3, "B1", T0.AddSeconds(-5)), CancellationToken.None); // seq 6–8: live
        var alert = await outbox.AppendEventAsync(OutboxItems.Alert(T0), CancellationToken.None);

        var first = await outbox.LeaseEventsAsync(10, CancellationToken.None);
        Assert.Equal(OutboxLane.Events, first.Lane);
        Assert.Equal([alert], first.Events.Select(e => e.Id));
        Assert.Empty(first.Readings);

        var live = await outbox.LeaseAsync(2, CancellationToken.None);
        Assert.Equal(OutboxLane.Live, live.Lane);
        Assert.Equal([6L, 7], live.Readings.Select(r => r.Seq));

        var mixed = await outbox.LeaseAsync(3, CancellationToken.None);
        Assert.Equal(OutboxLane.Live, mixed.Lane);
        Assert.Equal([1L, 2, 8], mixed.Readings.Select(r => r.Seq));

        var backlog = await outbox.LeaseAsync(10, CancellationToken.None);
        Assert.Equal(OutboxLane.Backlog, backlog.Lane);
        Assert.Equal([3L, 4, 5], backlog.Readings.Select(r => r.Seq));
        Assert.True((await outbox.LeaseAsync(10, CancellationToken.None)).IsEmpty);
    }

    [Fact]
    public async Task Live_readings_overtake_a_backlog_that_is_draining()
    {
        var time = new FakeTimeProvider(T0);
        await using var outbox = await OpenAsync(time);
        await outbox.AppendAsync(Readings(1000, "A1", T0.AddDays(-1)), CancellationToken.None);
        var draining = await outbox.LeaseAsync(100, CancellationToken.None);
        Assert.Equal(OutboxLane.Backlog, draining.Lane);

        time.SetUtcNow(T0.AddSeconds(1));
        var fresh = await outbox.AppendAsync(Readings(2, "A1", time.GetUtcNow()), CancellationToken.None);
        var next = await outbox.LeaseAsync(3, CancellationToken.None);
        Assert.Equal(OutboxLane.Live, next.Lane);
        Assert.Equal([101L, fresh[0], fresh[1]], next.Readings.Select(r => r.Seq));
    }

    [Fact]
    public async Task Readings_age_out_of_the_live_lane()
    {
        var time = new FakeTimeProvider(T0);
        await using var outbox = await OpenAsync(time);
        await outbox.AppendAsync(Readings(3, "A1", T0), CancellationToken.None);
        time.SetUtcNow(T0.AddMinutes(5));
        Assert.Equal(OutboxLane.Backlog, (await outbox.LeaseAsync(3, CancellationToken.None)).Lane);
    }

    [Fact]
    public async Task Leased_readings_are_leased_again_only_after_a_release_and_an_ack_removes_them()
    {
        await using var outbox = await OpenAsync(new FakeTimeProvider(T0));
        await outbox.AppendAsync(Readings(10, "A1", T0), CancellationToken.None);
        var a = await outbox.LeaseAsync(4, CancellationToken.None);
        var b = await outbox.LeaseAsync(4, CancellationToken.None);
        Assert.Equal([1L, 2, 3, 4], a.Readings.Select(r => r.Seq));
        Assert.Equal([5L, 6, 7, 8], b.Readings.Select(r => r.Seq));

        outbox.Release(a);
        await outbox.AckAsync(b, CancellationToken.None);
        await outbox.AckAsync(b, CancellationToken.None); // a late second acknowledgement changes nothing
        var rest = await outbox.LeaseAsync(100, CancellationToken.None);
        Assert.Equal([1L, 2, 3, 4, 9, 10], rest.Readings.Select(r => r.Seq));

        // Content, not identity: acknowledging a copy with fewer readings removes just those.
        await outbox.AckAsync(rest with { Readings = rest.Readings.Take(2).ToList() }, CancellationToken.None);
        outbox.Release(rest);
        Assert.Equal([3L, 4, 9, 10], (await outbox.LeaseAsync(100, CancellationToken.None)).Readings.Select(r => r.Seq));
    }

    [Fact]
    public async Task Readings_come_back_as_appended_to_the_millisecond()
    {
        await using var outbox = await OpenAsync(new FakeTimeProvider(T0));
        var at = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.FromHours(1)).AddTicks(12_345);
        Reading[] readings =
        [
            new(at, "A1", "COLA-355", 710.5, 2, StockStatus.Low, "settling", TimeUntrusted: true, Summary: new ReadingSummary(12, 700.25, 720.75, 1)),
            new(at, "B2", "CHIPS-40", null, null, StockStatus.Fault, "timeout"),
        ];
        await outbox.AppendAsync(readings, CancellationToken.None);

        var batch = await outbox.LeaseAsync(10, CancellationToken.None);

        var ms = DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());
        Assert.Equal(readings.Select(r => r with { Timestamp = ms }), batch.Readings.Select(r => r.Reading));
        Assert.All(batch.Readings, r => Assert.Equal(TimeSpan.Zero, r.Reading.Timestamp.Offset));
    }

    [Fact]
    public async Task Events_in_flight_are_not_leased_twice_and_ack_deletes_them()
    {
        await using var outbox = await OpenAsync(new FakeTimeProvider(T0));
        for (var i = 0; i < 3; i++)
        {
            await outbox.AppendEventAsync(OutboxItems.Pick(T0, i), CancellationToken.None);
        }

        var a = await outbox.LeaseEventsAsync(2, CancellationToken.None);
        var b = await outbox.LeaseEventsAsync(2, CancellationToken.None);
        Assert.Equal(2, a.Events.Count);
        Assert.Single(b.Events);
        Assert.True((await outbox.LeaseEventsAsync(2, CancellationToken.None)).IsEmpty);
        await outbox.AckAsync(a, CancellationToken.None);
        outbox.Release(b);
        var again = await outbox.LeaseEventsAsync(5, CancellationToken.None);
        Assert.Equal(b.Events.Select(e => e.Id), again.Events.Select(e => e.Id));
    }

    [Fact]
    public async Task Events_come_back_as_the_stock_messages_that_were_appended()
    {
        await using var outbox = await OpenAsync(new FakeTimeProvider(T0));
        var alert = new StockAlert(T0, "B2", "CHIPS-40", StockAlertType.PredictedEmpty, 3)
        {
            ExpectedEmpty = T0.AddMinutes(40),
            Probability = 0.8,
            RatePerHour = 4.5,
            HorizonMinutes = 180,
        };
        await outbox.AppendEventAsync(new OutboxEvent(alert), CancellationToken.None);

        var batch = await outbox.LeaseEventsAsync(10, CancellationToken.None);

        Assert.Equal(alert, Assert.Single(batch.Events).Event.Message);
        Assert.Null(batch.Events[0].Event.WirePayload);
    }

    [Fact]
    public async Task Waits_end_when_something_leasable_arrives_and_not_before()
    {
        await using var outbox = await OpenAsync(new FakeTimeProvider(T0));
        var data = outbox.WaitForDataAsync(CancellationToken.None).AsTask();
        var events = outbox.WaitForEventsAsync(CancellationToken.None).AsTask();
        Assert.False(data.IsCompleted);

        await outbox.AppendAsync(Readings(1, "A1", T0), CancellationToken.None);
        await data.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(events.IsCompleted); // a reading is not an event

        var batch = await outbox.LeaseAsync(10, CancellationToken.None);
        var again = outbox.WaitForDataAsync(CancellationToken.None).AsTask();
        Assert.False(again.IsCompleted); // all of it is in flight
        outbox.Release(batch);
        await again.WaitAsync(TimeSpan.FromSeconds(10));

        await outbox.AppendEventAsync(OutboxItems.Alert(T0), CancellationToken.None);
        await events.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_full_outbox_evicts_the_oldest_telemetry_and_reports_it_once_with_a_batch()
    {
        await using var outbox = await OpenAsync(new FakeTimeProvider(T0), maxBytes: 256 * 1024);
        var alert = await outbox.AppendEventAsync(OutboxItems.Alert(T0, "low A1"), CancellationToken.None);
        long last = 0;
        for (var i = 0; i < 40; i++)
        {
            var seqs = await outbox.AppendAsync([.. Readings(250, "A1", T0), .. Readings(250, "B2", T0)], CancellationToken.None);
            last = seqs[^1];
        }

        Assert.Equal(20_000, last);
        var batch = await outbox.LeaseAsync(10, CancellationToken.None);
        var evicted = batch.Dropped.Values.Sum();
        Assert.True(evicted > 0);
        Assert.Equal(evicted + 1, batch.Readings[0].Seq); // the oldest went first
        Assert.Equal(["A1", "B2"], batch.Dropped.Keys.Order());
        Assert.Equal([alert], (await outbox.LeaseEventsAsync(5, CancellationToken.None)).Events.Select(e => e.Id)); // never evicted

        // Reported once: a second batch in flight does not repeat the counts, and the ack clears them.
        Assert.Empty((await outbox.LeaseAsync(10, CancellationToken.None)).Dropped);
        await outbox.AckAsync(batch, CancellationToken.None);
        Assert.Empty((await outbox.LeaseAsync(10, CancellationToken.None)).Dropped);
    }

    [Fact]
    public async Task Refuses_a_reading_it_could_not_publish()
    {
        await using var outbox = await OpenAsync(new FakeTimeProvider(T0));
        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await outbox.AppendAsync([Reading(0, "A1", T0) with { Grams = double.NaN }], CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await outbox.AppendAsync([Reading(0, "", T0)], CancellationToken.None));
        Assert.Equal([1L], await outbox.AppendAsync(Readings(1, "A1", T0), CancellationToken.None));
    }
}

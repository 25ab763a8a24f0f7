using Microsoft.Extensions.Logging.Abstractions;
using ShelfAgent.Outbox;
using static ShelfAgent.Tests.Outbox.OutboxTestData;

namespace ShelfAgent.Tests.Outbox;

public sealed class SqliteOutboxLaneTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Events_then_live_then_backlog_oldest_first()
    {
        var time = new ManualTime(T0);
        await using var outbox = await SqliteOutbox.OpenAsync(Options(_dir.File("o.db")), time, NullLogger<SqliteOutbox>.Instance, CancellationToken.None);
        await outbox.AppendAsync(Readings(5, "A1", T0.AddHours(-2)), CancellationToken.None); // seq 1–5: a backlog
        await outbox.AppendAsync(Readings(3, "B1", T0.AddSeconds(-5)), CancellationToken.None); // seq 6–8: live
        var alert = await outbox.AppendEventAsync(new OutboxEvent(T0, OutboxEventKinds.Alerts, """{"schema":"shelf.alert.v1"}"""), CancellationToken.None);

        var first = await outbox.LeaseEventsAsync(10, CancellationToken.None);
        Assert.Equal(OutboxLane.Events, first.Lane);
        Assert.Equal([alert], first.Events.Select(e => e.Id));
        Assert.Equal("alerts", first.Events[0].Event.Kind);
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
    }

    [Fact]
    public async Task Live_readings_overtake_a_backlog_that_is_draining()
    {
        var time = new ManualTime(T0);
        await using var outbox = await SqliteOutbox.OpenAsync(Options(_dir.File("o.db")), time, NullLogger<SqliteOutbox>.Instance, CancellationToken.None);
        await outbox.AppendAsync(Readings(1000, "A1", T0.AddDays(-1)), CancellationToken.None);
        var draining = await outbox.LeaseAsync(100, CancellationToken.None);
        Assert.Equal(OutboxLane.Backlog, draining.Lane);

        time.Now = T0.AddSeconds(1);
        var fresh = await outbox.AppendAsync(Readings(2, "A1", time.Now), CancellationToken.None);
        var next = await outbox.LeaseAsync(3, CancellationToken.None);
        Assert.Equal(OutboxLane.Live, next.Lane);
        Assert.Equal([101L, fresh[0], fresh[1]], next.Readings.Select(r => r.Seq));
    }

    [Fact]
    public async Task Readings_age_out_of_the_live_lane()
    {
        var time = new ManualTime(T0);
        await using var outbox = await SqliteOutbox.OpenAsync(Options(_dir.File("o.db")), time, NullLogger<SqliteOutbox>.Instance, CancellationToken.None);
        await outbox.AppendAsync(Readings(3, "A1", T0), CancellationToken.None);
        time.Now = T0.AddMinutes(5);
        var batch = await outbox.LeaseAsync(3, CancellationToken.None);
        Assert.Equal(OutboxLane.Backlog, batch.Lane);
    }

    [Fact]
    public async Task Events_in_flight_are_not_leased_twice_and_ack_deletes_them()
    {
        await using var outbox = await OpenAsync(_dir.File("o.db"));
        for (var i = 0; i < 3; i++)
        {
            await outbox.AppendEventAsync(new OutboxEvent(Now, OutboxEventKinds.Events, $$"""{"n":{{i}}}"""), CancellationToken.None);
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
    public async Task An_unknown_event_kind_is_refused()
    {
        await using var outbox = await OpenAsync(_dir.File("o.db"));
        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await outbox.AppendEventAsync(new OutboxEvent(Now, "telemetry", "{}"), CancellationToken.None));
    }
}

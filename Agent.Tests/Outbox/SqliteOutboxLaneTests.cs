using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ShelfAgent.Contract;
using ShelfAgent.Outbox;
using ShelfAgent.Stock;
using static ShelfAgent.Tests.Outbox.OutboxTestData;

namespace ShelfAgent.Tests.Outbox;

public sealed class SqliteOutboxLaneTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Events_then_live_then_backlog_oldest_first()
    {
        var time = new FakeTimeProvider(T0);
        await using var outbox = await SqliteOutbox.OpenAsync(Options(_dir.File("o.db")), time, NullLogger<SqliteOutbox>.Instance, CancellationToken.None);
        await outbox.AppendAsync(Readings(5, "A1", T0.AddHours(-2)), CancellationToken.None); // seq 1–5: a backlog
        await outbox.AppendAsync(Readings(3, "B1", T0.AddSeconds(-5)), CancellationToken.None); // seq 6–8: live
        var alert = await outbox.AppendEventAsync(OutboxItems.Alert(T0), CancellationToken.None);

        var first = await outbox.LeaseEventsAsync(10, CancellationToken.None);
        Assert.Equal(OutboxLane.Events, first.Lane);
        Assert.Equal([alert], first.Events.Select(e => e.Id));
        Assert.Equal(OutboxEventKind.Alerts, first.Events[0].Event.Kind);
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
        var time = new FakeTimeProvider(T0);
        await using var outbox = await SqliteOutbox.OpenAsync(Options(_dir.File("o.db")), time, NullLogger<SqliteOutbox>.Instance, CancellationToken.None);
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
        await using var outbox = await SqliteOutbox.OpenAsync(Options(_dir.File("o.db")), time, NullLogger<SqliteOutbox>.Instance, CancellationToken.None);
        await outbox.AppendAsync(Readings(3, "A1", T0), CancellationToken.None);
        time.SetUtcNow(T0.AddMinutes(5));
        var batch = await outbox.LeaseAsync(3, CancellationToken.None);
        Assert.Equal(OutboxLane.Backlog, batch.Lane);
    }

    [Fact]
    public async Task Events_in_flight_are_not_leased_twice_and_ack_deletes_them()
    {
        await using var outbox = await OpenAsync(_dir.File("o.db"));
        for (var i = 0; i < 3; i++)
        {
            await outbox.AppendEventAsync(OutboxItems.Pick(Now, i), CancellationToken.None);
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
        await using var outbox = await OpenAsync(_dir.File("o.db"));
        var alert = new StockAlert(Now, "B2", "CHIPS-40", StockAlertType.PredictedEmpty, 3)
        {
            ExpectedEmpty = Now.AddMinutes(40),
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
    public async Task Events_stored_by_schema_1_are_migrated_and_published_verbatim()
    {
        // A file as the agent before outbox schema 2 left it: the event table held encoded wire payloads.
        var path = _dir.File("v1.db");
        const string wire = """{"schema":"shelf.alert.v1","thing":"t","store":"s","slot":"A1","type":"low"}""";
        using (var db = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = $"""
                CREATE TABLE reading(seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, slot TEXT NOT NULL, sku TEXT NOT NULL,
                    grams REAL, count INTEGER, status INTEGER NOT NULL, reason TEXT);
                CREATE TABLE event(id INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL);
                CREATE TABLE dropped(slot TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
                CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO event(ts, kind, payload) VALUES({Now.ToUnixTimeMilliseconds()}, 'alerts', '{wire}');
                PRAGMA application_id={OutboxFile.ApplicationId};
                PRAGMA user_version=1;
                """;
            cmd.ExecuteNonQuery();
        }

        var exported = new List<StoredEvent>();
        await foreach (var e in SqliteOutbox.ExportEventsAsync(path, DateTimeOffset.MinValue, CancellationToken.None))
        {
            exported.Add(e);
        }

        await using var outbox = await OpenAsync(path);
        await outbox.AppendEventAsync(OutboxItems.Pick(Now), CancellationToken.None);
        var batch = await outbox.LeaseEventsAsync(10, CancellationToken.None);

        Assert.Equal(wire, Assert.Single(exported).Event.WirePayload); // read-only, before the migration
        Assert.Equal(2, batch.Events.Count);
        Assert.Equal(wire, System.Text.Encoding.UTF8.GetString(StockMessagePayload.Encode(new TelemetryEnvelope("t2", "s2"), batch.Events[0].Event)));
        Assert.IsType<StockEvent>(batch.Events[1].Event.Message);
    }
}

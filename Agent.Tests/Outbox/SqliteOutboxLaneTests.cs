using Microsoft.Data.Sqlite;
using ShelfAgent.Contract;
using ShelfAgent.Outbox;
using ShelfAgent.Stock;
using static ShelfAgent.Tests.Outbox.OutboxTestData;

namespace ShelfAgent.Tests.Outbox;

/// <summary>What only the SQLite outbox has to do with lanes; the lanes themselves are in <see cref="OutboxContractTests"/>.</summary>
public sealed class SqliteOutboxLaneTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

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

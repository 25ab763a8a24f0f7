using Microsoft.Data.Sqlite;
using ShelfAgent.Contract;
using ShelfAgent.Outbox;
using ShelfAgent.Stock.Forecasting;
using static ShelfAgent.Tests.Outbox.OutboxTestData;

namespace ShelfAgent.Tests.Outbox;

/// <summary>The first lane's kinds: a type in the agent, the same three words in the file's <c>event.kind</c> column.</summary>
public sealed class OutboxEventKindTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Each_kind_is_stored_as_the_word_files_have_always_held_and_read_back_as_its_type()
    {
        var path = _dir.File("o.db");
        var forecast = new OutboxEvent(new StockForecast(Now, 60, [new SlotForecast("A1", "COLA-330", 9, 4.2, null, null, ProfileSource.None)]));
        await using (var outbox = await OpenAsync(path))
        {
            await outbox.AppendEventAsync(OutboxItems.Pick(Now), CancellationToken.None);
            await outbox.AppendEventAsync(OutboxItems.Alert(Now), CancellationToken.None);
            await outbox.AppendEventAsync(forecast, CancellationToken.None);
        }

        Assert.Equal(["events", "alerts", "forecast"], Column(path, "SELECT kind FROM event ORDER BY id;"));
        var read = new List<OutboxEventKind>();
        await foreach (var e in SqliteOutbox.ExportEventsAsync(path, DateTimeOffset.MinValue, CancellationToken.None))
        {
            read.Add(e.Event.Kind);
        }

        Assert.Equal([OutboxEventKind.Events, OutboxEventKind.Alerts, OutboxEventKind.Forecast], read);
        var topics = new Topics("store-1", "t1");
        Assert.Equal(["dt/shelf/store-1/t1/events", "dt/shelf/store-1/t1/alerts", "dt/shelf/store-1/t1/forecast"], read.Select(topics.ForEventKind));
    }

    [Fact]
    public async Task A_row_of_a_kind_no_agent_writes_is_a_damaged_file()
    {
        var path = _dir.File("o.db");
        await using (var outbox = await OpenAsync(path))
        {
            await outbox.AppendEventAsync(OutboxItems.Alert(Now), CancellationToken.None);
        }

        Column(path, "UPDATE event SET kind = 'Alerts' RETURNING kind;"); // one letter's case is already another word

        var e = await Assert.ThrowsAsync<OutboxCorruptException>(async () =>
        {
            await foreach (var _ in SqliteOutbox.ExportEventsAsync(path, DateTimeOffset.MinValue, CancellationToken.None))
            {
            }
        });
        Assert.Contains("unknown kind 'Alerts'", e.Message, StringComparison.Ordinal);
    }

    private static List<string> Column(string path, string sql)
    {
        using var db = new SqliteConnection($"Data Source={path};Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var values = new List<string>();
        while (r.Read())
        {
            values.Add(r.GetString(0));
        }

        return values;
    }
}

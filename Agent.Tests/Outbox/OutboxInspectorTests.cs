using ShelfAgent.Outbox;
using ShelfAgent.Stock;
using static ShelfAgent.Tests.Outbox.OutboxTestData;

namespace ShelfAgent.Tests.Outbox;

public sealed class OutboxInspectorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string DbPath => _dir.File("outbox.db");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Stats_are_read_through_a_second_connection_while_the_outbox_runs()
    {
        var now = DateTimeOffset.UtcNow;
        await using var outbox = await OpenAsync(DbPath);
        await outbox.AppendAsync(Readings(7, "A1", now.AddHours(-3)), CancellationToken.None);
        await outbox.AppendAsync(Readings(4, "A1", now.AddSeconds(-1)), CancellationToken.None);
        await outbox.AppendEventAsync(OutboxItems.Pick(now), CancellationToken.None);
        var leased = await outbox.LeaseAsync(2, CancellationToken.None); // in flight still counts as stored

        var stats = await SqliteOutbox.ReadStatsAsync(DbPath, TimeProvider.System, CancellationToken.None);

        Assert.Equal(1, stats.EventDepth);
        Assert.Equal(4, stats.LiveDepth);
        Assert.Equal(7, stats.BacklogDepth);
        Assert.InRange(stats.OldestReadingAge!.Value, TimeSpan.FromHours(2.9), TimeSpan.FromHours(3.1));
        Assert.True(stats.FileBytes > 0);
        Assert.Equal(12, stats.NextSeq);
        Assert.Equal(0, stats.RecoveredFiles);
        Assert.Equal(0, stats.EvictedTotal);
        Assert.Equal(2, leased.Readings.Count);

        // The writer is not blocked by the reader and vice versa.
        await outbox.AppendAsync(Readings(1), CancellationToken.None);
        Assert.Equal(13, (await SqliteOutbox.ReadStatsAsync(DbPath, TimeProvider.System, CancellationToken.None)).NextSeq);
    }

    [Fact]
    public async Task Export_streams_readings_since_a_time_in_seq_order()
    {
        var now = DateTimeOffset.UtcNow;
        await using var outbox = await OpenAsync(DbPath);
        await outbox.AppendAsync(Readings(3, "A1", now.AddDays(-2)), CancellationToken.None);
        var recent = await outbox.AppendAsync(Readings(5, "B2", now.AddMinutes(-10)), CancellationToken.None);
        await outbox.AppendEventAsync(OutboxItems.Alert(now.AddMinutes(-1), "a1"), CancellationToken.None);

        var exported = new List<StoredReading>();
        await foreach (var r in SqliteOutbox.ExportAsync(DbPath, now.AddHours(-1), CancellationToken.None))
        {
            exported.Add(r);
        }

        var events = new List<StoredEvent>();
        await foreach (var e in SqliteOutbox.ExportEventsAsync(DbPath, now.AddHours(-1), CancellationToken.None))
        {
            events.Add(e);
        }

        Assert.Equal(recent, exported.Select(r => r.Seq));
        Assert.All(exported, r => Assert.Equal("B2", r.Reading.Slot));
        Assert.Equal("a1", Assert.IsType<StockAlert>(Assert.Single(events).Event.Message).Reason);
    }

    [Fact]
    public async Task Stats_of_a_missing_file_name_the_path()
    {
        var e = await Assert.ThrowsAsync<FileNotFoundException>(() =>
            SqliteOutbox.ReadStatsAsync(_dir.File("nope.db"), TimeProvider.System, CancellationToken.None));
        Assert.Contains("nope.db", e.Message, StringComparison.Ordinal);
    }
}

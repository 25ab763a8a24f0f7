using Microsoft.Extensions.Logging;
using ShelfAgent.Outbox;
using static ShelfAgent.Tests.Outbox.OutboxTestData;

namespace ShelfAgent.Tests.Outbox;

public sealed class SqliteOutboxEvictionTests : IDisposable
{
    private const long SmallCap = 256 * 1024;
    private readonly TempDirectory _dir = new();

    private string DbPath => _dir.File("outbox.db");

    public void Dispose() => _dir.Dispose();

    private static long PageCount(SqliteOutbox outbox)
    {
        using var cmd = outbox.ConnectionForTests.CreateCommand();
        cmd.CommandText = "PRAGMA page_count;";
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Oldest_telemetry_is_evicted_at_MaxBytes_and_counted_per_slot()
    {
        var log = new ListLogger<SqliteOutbox>();
        await using var outbox = await OpenAsync(DbPath, log, maxBytes: SmallCap);
        var alert = await outbox.AppendEventAsync(OutboxItems.Alert(Now, "low A1"), CancellationToken.None);
        long last = 0;
        for (var i = 0; i < 40; i++)
        {
            var seqs = await outbox.AppendAsync([.. Readings(250, "A1"), .. Readings(250, "B2")], CancellationToken.None);
            last = seqs[^1];
        }

        Assert.Equal(20_000, last);
        Assert.True(new FileInfo(DbPath).Length <= SmallCap, $"file is {new FileInfo(DbPath).Length} bytes");
        var stats = await SqliteOutbox.ReadStatsAsync(DbPath, TimeProvider.System, CancellationToken.None);
        Assert.True(stats.EvictedTotal > 0);
        Assert.Equal(20_000 - stats.EvictedTotal, stats.LiveDepth + stats.BacklogDepth);
        Assert.Equal(1, stats.EventDepth); // alerts are never evicted

        var batch = await outbox.LeaseAsync(10, CancellationToken.None);
        Assert.Equal(stats.EvictedTotal + 1, batch.Readings[0].Seq); // the oldest went first
        Assert.Equal(stats.EvictedTotal, batch.Dropped.Values.Sum());
        Assert.Equal(["A1", "B2"], batch.Dropped.Keys.Order());
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Id.Id == 3102);
        Assert.Equal([alert], (await outbox.LeaseEventsAsync(5, CancellationToken.None)).Events.Select(e => e.Id));

        // Reported once: a second batch in flight does not repeat the counts, and the ack clears them.
        Assert.Empty((await outbox.LeaseAsync(10, CancellationToken.None)).Dropped);
        await outbox.AckAsync(batch, CancellationToken.None);
        Assert.Empty((await outbox.LeaseAsync(10, CancellationToken.None)).Dropped);
        Assert.Empty((await SqliteOutbox.ReadStatsAsync(DbPath, TimeProvider.System, CancellationToken.None)).DroppedPending);
        Assert.Equal("ok", IntegrityCheck(DbPath));
    }

    [Fact]
    public async Task Dropped_counts_come_back_after_a_release_and_after_a_restart()
    {
        await using (var outbox = await OpenAsync(DbPath, maxBytes: SmallCap))
        {
            for (var i = 0; i < 30; i++)
            {
                await outbox.AppendAsync(Readings(500, "C3"), CancellationToken.None);
            }

            var batch = await outbox.LeaseAsync(5, CancellationToken.None);
            Assert.NotEmpty(batch.Dropped);
            outbox.Release(batch);
            Assert.Equal(batch.Dropped, (await outbox.LeaseAsync(5, CancellationToken.None)).Dropped);
        }

        await using var restarted = await OpenAsync(DbPath, maxBytes: SmallCap);
        var after = await restarted.LeaseAsync(5, CancellationToken.None);
        Assert.True(after.Dropped["C3"] > 0);
    }

    [Fact]
    public async Task A_full_disk_evicts_old_telemetry_and_the_agent_keeps_appending()
    {
        var log = new ListLogger<SqliteOutbox>();
        await using var outbox = await OpenAsync(DbPath, log);
        await outbox.AppendAsync(Readings(100), CancellationToken.None);
        // Simulate a file system with almost no room left: SQLite reports SQLITE_FULL at the page limit
        // exactly as it does when write() fails with ENOSPC.
        outbox.PageLimitForTests = PageCount(outbox) + 30;

        for (var i = 0; i < 20; i++)
        {
            await outbox.AppendAsync(Readings(500, "D4"), CancellationToken.None);
        }

        var stats = await SqliteOutbox.ReadStatsAsync(DbPath, TimeProvider.System, CancellationToken.None);
        Assert.True(stats.EvictedTotal > 0);
        Assert.Equal(10_100, stats.NextSeq - 1);
        Assert.Contains(log.Entries, e => e.Id.Id == 3102);
        Assert.Equal("ok", IntegrityCheck(DbPath));
    }

    [Fact]
    public async Task When_only_events_fill_the_disk_appends_fail_cleanly_and_readings_are_counted_dropped()
    {
        var log = new ListLogger<SqliteOutbox>();
        await using var outbox = await OpenAsync(DbPath, log);
        outbox.PageLimitForTests = PageCount(outbox) + 4;

        var pad = new string('x', 3000);
        await Assert.ThrowsAsync<OutboxFullException>(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await outbox.AppendEventAsync(OutboxItems.Alert(Now, pad), CancellationToken.None);
            }
        });
        await Assert.ThrowsAsync<OutboxFullException>(async () => await outbox.AppendAsync(Readings(300, "E5"), CancellationToken.None));
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Error && e.Id.Id == 3103);

        // Room again (an event was delivered): the refused readings are reported as dropped.
        await outbox.AckAsync(await outbox.LeaseEventsAsync(2, CancellationToken.None), CancellationToken.None);
        await outbox.AppendAsync(Readings(1, "F6"), CancellationToken.None);
        var batch = await outbox.LeaseAsync(5, CancellationToken.None);
        Assert.Equal(300, batch.Dropped["E5"]);
    }
}

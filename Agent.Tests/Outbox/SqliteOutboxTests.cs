using ShelfAgent.Outbox;
using ShelfAgent.Stock;
using static ShelfAgent.Tests.Outbox.OutboxTestData;

namespace ShelfAgent.Tests.Outbox;

public sealed class SqliteOutboxTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string DbPath => _dir.File("outbox.db");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Append_returns_contiguous_seqs_from_one_on_a_new_file()
    {
        await using var outbox = await OpenAsync(DbPath);
        var first = await outbox.AppendAsync(Readings(3), CancellationToken.None);
        var second = await outbox.AppendAsync(Readings(2), CancellationToken.None);
        Assert.Equal([1L, 2, 3], first);
        Assert.Equal([4L, 5], second);
    }

    [Fact]
    public async Task Append_stores_every_field_as_committed()
    {
        var at = new DateTimeOffset(2026, 11, 22, 5, 20, 0, 123, TimeSpan.Zero);
        Reading[] readings =
        [
            new(at, "A1", "COLA-355", 1234.5, 3, StockStatus.Low),
            new(at.AddSeconds(1), "B2", "CHIPS-40", null, null, StockStatus.Fault, "timeout: HX711 not ready"),
            new(at.AddSeconds(2), "C3", "GUM-1", 0, 0, StockStatus.Empty),
        ];
        await using var outbox = await OpenAsync(DbPath);
        var seqs = await outbox.AppendAsync(readings, CancellationToken.None);
        var batch = await outbox.LeaseAsync(10, CancellationToken.None);
        Assert.Equal(seqs, batch.Readings.Select(r => r.Seq));
        Assert.Equal(readings, batch.Readings.Select(r => r.Reading));
    }

    [Fact]
    public async Task Seq_continues_after_the_outbox_is_reopened()
    {
        await using (var outbox = await OpenAsync(DbPath))
        {
            await outbox.AppendAsync(Readings(5), CancellationToken.None);
            await outbox.AckAsync(await outbox.LeaseAsync(5, CancellationToken.None), CancellationToken.None);
        }

        await using var reopened = await OpenAsync(DbPath);
        Assert.Equal([6L, 7], await reopened.AppendAsync(Readings(2), CancellationToken.None));
    }

    [Fact]
    public async Task Seq_continues_and_committed_readings_remain_when_reopened_without_dispose()
    {
        // The first instance is abandoned as a killed process would leave it: no dispose, no checkpoint.
        var crashed = await OpenAsync(DbPath);
        await crashed.AppendAsync(Readings(4), CancellationToken.None);

        await using var reopened = await OpenAsync(DbPath);
        Assert.Equal(4, reopened.Leasable);
        Assert.Equal([5L], await reopened.AppendAsync(Readings(1), CancellationToken.None));
        Assert.Equal("ok", IntegrityCheck(DbPath));
        GC.KeepAlive(crashed);
    }

    [Fact]
    public async Task Seq_never_repeats_when_the_buffer_file_is_deleted()
    {
        await using (var outbox = await OpenAsync(DbPath))
        {
            await outbox.AppendAsync(Readings(10), CancellationToken.None);
        }

        File.Delete(DbPath);
        await using var fresh = await OpenAsync(DbPath);
        var seqs = await fresh.AppendAsync(Readings(2), CancellationToken.None);
        // The sidecar reserved a block past 10; a fresh file starts a whole block above that (the margin).
        Assert.True(seqs[0] > 10 + SeqHighWaterMark.Block, $"fresh file started at {seqs[0]}");
        Assert.Equal(seqs[0] + 1, seqs[1]);
    }

    [Fact]
    public async Task Lease_does_not_hand_out_readings_in_flight_until_released()
    {
        await using var outbox = await OpenAsync(DbPath);
        await outbox.AppendAsync(Readings(10), CancellationToken.None);

        var a = await outbox.LeaseAsync(4, CancellationToken.None);
        var b = await outbox.LeaseAsync(4, CancellationToken.None);
        var c = await outbox.LeaseAsync(4, CancellationToken.None);
        Assert.Equal([1L, 2, 3, 4], a.Readings.Select(r => r.Seq));
        Assert.Equal([5L, 6, 7, 8], b.Readings.Select(r => r.Seq));
        Assert.Equal([9L, 10], c.Readings.Select(r => r.Seq));
        Assert.True((await outbox.LeaseAsync(4, CancellationToken.None)).IsEmpty);

        outbox.Release(b);
        var again = await outbox.LeaseAsync(10, CancellationToken.None);
        Assert.Equal([5L, 6, 7, 8], again.Readings.Select(r => r.Seq));
    }

    [Fact]
    public async Task Ack_deletes_only_the_acknowledged_batch()
    {
        await using var outbox = await OpenAsync(DbPath);
        await outbox.AppendAsync(Readings(6), CancellationToken.None);
        var a = await outbox.LeaseAsync(3, CancellationToken.None);
        var b = await outbox.LeaseAsync(3, CancellationToken.None);

        await outbox.AckAsync(b, CancellationToken.None);
        outbox.Release(a);

        Assert.Equal(3, Scalar(DbPath, "SELECT count(*) FROM reading;"));
        var rest = await outbox.LeaseAsync(10, CancellationToken.None);
        Assert.Equal([1L, 2, 3], rest.Readings.Select(r => r.Seq));
    }

    [Fact]
    public async Task Only_unacknowledged_readings_are_leasable_after_a_crash()
    {
        var crashed = await OpenAsync(DbPath);
        await crashed.AppendAsync(Readings(9), CancellationToken.None);
        var acked = await crashed.LeaseAsync(3, CancellationToken.None);
        await crashed.LeaseAsync(3, CancellationToken.None); // in flight when the process dies
        await crashed.AckAsync(acked, CancellationToken.None);

        await using var restarted = await OpenAsync(DbPath);
        var resent = await restarted.LeaseAsync(100, CancellationToken.None);
        Assert.Equal([4L, 5, 6, 7, 8, 9], resent.Readings.Select(r => r.Seq));
        GC.KeepAlive(crashed);
    }

    [Fact]
    public async Task A_late_ack_after_release_still_deletes_the_readings()
    {
        await using var outbox = await OpenAsync(DbPath);
        await outbox.AppendAsync(Readings(3), CancellationToken.None);
        var batch = await outbox.LeaseAsync(3, CancellationToken.None);
        outbox.Release(batch);
        await outbox.AckAsync(batch, CancellationToken.None);
        Assert.Equal(0, outbox.Leasable);
        Assert.True((await outbox.LeaseAsync(3, CancellationToken.None)).IsEmpty);
    }

    [Fact]
    public async Task Concurrent_appends_within_the_window_share_commits()
    {
        await using var outbox = await OpenAsync(DbPath, windowMs: 200);
        await outbox.AppendAsync(Readings(1), CancellationToken.None); // starts the window
        var before = outbox.Commits;

        var appends = Enumerable.Range(0, 50)
            .Select(i => outbox.AppendAsync(Readings(2, $"S{i}"), CancellationToken.None).AsTask())
            .ToArray();
        var seqs = (await Task.WhenAll(appends)).SelectMany(s => s).Order().ToArray();

        Assert.Equal(Enumerable.Range(2, 100).Select(i => (long)i), seqs);
        Assert.InRange(outbox.Commits - before, 1, 5);
    }

    [Fact]
    public async Task WaitForData_completes_when_a_reading_is_committed()
    {
        await using var outbox = await OpenAsync(DbPath);
        var waiting = outbox.WaitForDataAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        await outbox.AppendAsync(Readings(1), CancellationToken.None);
        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task WaitForData_completes_when_a_batch_is_released()
    {
        await using var outbox = await OpenAsync(DbPath);
        await outbox.AppendAsync(Readings(1), CancellationToken.None);
        var batch = await outbox.LeaseAsync(1, CancellationToken.None);
        var waiting = outbox.WaitForDataAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        outbox.Release(batch);
        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Append_rejects_non_finite_grams_and_stores_nothing()
    {
        await using var outbox = await OpenAsync(DbPath);
        var bad = new Reading(Now, "A1", "COLA-355", double.NaN, 1, StockStatus.Ok);
        var e = await Assert.ThrowsAsync<ArgumentException>(async () => await outbox.AppendAsync([Reading(0), bad], CancellationToken.None));
        Assert.Contains("readings[1]", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, outbox.Leasable);
    }

    [Fact]
    public async Task The_file_is_WAL_with_columns_and_passes_integrity_check()
    {
        await using (var outbox = await OpenAsync(DbPath))
        {
            await outbox.AppendAsync(Readings(100), CancellationToken.None);
            await outbox.AckAsync(await outbox.LeaseAsync(50, CancellationToken.None), CancellationToken.None);
        }

        Assert.Equal("ok", IntegrityCheck(DbPath));
        using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DbPath};Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string)cmd.ExecuteScalar()!);
        cmd.CommandText = "SELECT typeof(ts) || typeof(slot) || typeof(grams) || typeof(status) FROM reading LIMIT 1;";
        Assert.Equal("integertextrealinteger", (string)cmd.ExecuteScalar()!);
    }
}

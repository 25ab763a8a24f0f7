using Microsoft.Extensions.Time.Testing;
using ShelfAgent.Outbox;
using ShelfAgent.Stock;
using static ShelfAgent.Tests.Outbox.OutboxTestData;

namespace ShelfAgent.Tests.Outbox;

public sealed class SqliteOutboxRawTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    private string DbPath => _dir.File("outbox.db");

    public void Dispose() => _dir.Dispose();

    private static async Task<List<Reading>> RawAsync(string path, DateTimeOffset from, DateTimeOffset to, params string[] slots)
    {
        var raw = new List<Reading>();
        await foreach (var r in SqliteOutbox.ExportRawAsync(path, slots, from, to, CancellationToken.None))
        {
            raw.Add(r);
        }

        return raw;
    }

    [Fact]
    public async Task Raw_samples_stay_after_the_published_summaries_are_acknowledged()
    {
        await using var outbox = await OpenAsync(DbPath);
        var samples = Readings(60, at: T0);
        var summary = samples[^1] with { Summary = new ReadingSummary(60, 0.5, 3905.5, 0) };
        await outbox.AppendAsync([summary], samples, CancellationToken.None);

        var batch = await outbox.LeaseAsync(10, CancellationToken.None);
        Assert.Equal(summary, Assert.Single(batch.Readings).Reading);
        await outbox.AckAsync(batch, CancellationToken.None);

        Assert.Equal(0, outbox.Leasable);
        Assert.Equal(samples, await RawAsync(DbPath, T0.AddMinutes(-1), T0.AddMinutes(1)));
    }

    [Fact]
    public async Task Raw_export_takes_only_the_slots_and_the_window_asked_for()
    {
        await using var outbox = await OpenAsync(DbPath);
        var a = Enumerable.Range(0, 10).Select(i => Reading(i, "A1", T0.AddSeconds(i))).ToArray();
        var b = Enumerable.Range(0, 10).Select(i => Reading(i, "B1", T0.AddSeconds(i))).ToArray();
        await outbox.AppendAsync([], [.. a, .. b], CancellationToken.None);

        var window = await RawAsync(DbPath, T0.AddSeconds(2), T0.AddSeconds(5), "B1");

        Assert.Equal(b[2..5], window);
        Assert.Equal(20, (await RawAsync(DbPath, T0, T0.AddMinutes(1))).Count);
    }

    [Fact]
    public async Task Raw_samples_older_than_the_retention_are_deleted()
    {
        var time = new FakeTimeProvider(T0);
        var options = Options(DbPath);
        options.RawRetentionDays = 7;
        await using var outbox = await SqliteOutbox.OpenAsync(options, time, new ListLogger<SqliteOutbox>(), CancellationToken.None);

        await outbox.AppendAsync([], [Reading(1, "A1", T0.AddDays(-8)), Reading(2, "A1", T0.AddDays(-6))], CancellationToken.None);

        var left = await RawAsync(DbPath, T0.AddDays(-30), T0);
        Assert.Equal([T0.AddDays(-6)], left.Select(r => r.Timestamp));
    }

    [Fact]
    public async Task A_full_buffer_evicts_raw_samples_before_any_unsent_reading_and_counts_them()
    {
        var log = new ListLogger<SqliteOutbox>();
        await using var outbox = await OpenAsync(DbPath, log);
        await outbox.AppendAsync(Readings(10, "A1", T0), Readings(2000, "A1", T0), CancellationToken.None);
        outbox.PageLimitForTests = PageCount(outbox) + 2;

        for (var i = 0; i < 5; i++)
        {
            await outbox.AppendAsync(Readings(200, "B1", T0), CancellationToken.None);
        }

        Assert.True(outbox.RawEvicted > 0);
        Assert.Contains(log.Entries, e => e.Id.Id == 3110);
        var stats = await SqliteOutbox.ReadStatsAsync(DbPath, TimeProvider.System, CancellationToken.None);
        Assert.Equal(0, stats.EvictedTotal);
        Assert.Equal(1010, outbox.Leasable);
    }

    private static long PageCount(SqliteOutbox outbox)
    {
        using var cmd = outbox.ConnectionForTests.CreateCommand();
        cmd.CommandText = "PRAGMA page_count;";
        return (long)cmd.ExecuteScalar()!;
    }
}

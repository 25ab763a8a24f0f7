using Microsoft.Extensions.Logging;
using ShelfAgent.Outbox;
using static ShelfAgent.Tests.Outbox.OutboxTestData;

namespace ShelfAgent.Tests.Outbox;

public sealed class SqliteOutboxRecoveryTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string DbPath => _dir.File("outbox.db");

    public void Dispose() => _dir.Dispose();

    // The moved-aside database files, without their moved-aside -wal companions.
    private string[] CorruptFiles() =>
        Directory.GetFiles(_dir.Path, "outbox.db.corrupt-*").Where(f => !f.EndsWith("-wal", StringComparison.Ordinal)).ToArray();

    [Fact]
    public async Task A_garbage_file_is_moved_aside_and_a_fresh_buffer_starts()
    {
        var garbage = new byte[16 * 1024];
        new Random(7).NextBytes(garbage);
        await File.WriteAllBytesAsync(DbPath, garbage);
        var log = new ListLogger<SqliteOutbox>();

        await using var outbox = await OpenAsync(DbPath, log);
        // Nothing could be read from the old file, so the new one starts a whole reserved block up.
        Assert.Equal([SeqHighWaterMark.Block + 1], await outbox.AppendAsync(Readings(1), CancellationToken.None));

        var aside = Assert.Single(CorruptFiles());
        Assert.Matches(@"outbox\.db\.corrupt-\d{8}T\d{6}Z$", aside);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(aside)); // kept as it was, for forensics
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Error && e.Id.Id == 3101 && e.Message.Contains(aside, StringComparison.Ordinal));
        var stats = await SqliteOutbox.ReadStatsAsync(DbPath, TimeProvider.System, CancellationToken.None);
        Assert.Equal(1, stats.RecoveredFiles);
    }

    [Fact]
    public async Task A_damaged_buffer_is_replaced_and_numbering_continues_above_it()
    {
        await using (var outbox = await OpenAsync(DbPath))
        {
            for (var i = 0; i < 10; i++)
            {
                await outbox.AppendAsync(Readings(500), CancellationToken.None);
            }
        }

        // Overwrite a run of b-tree pages in the middle of the file (a torn SD-card write).
        await using (var fs = new FileStream(DbPath, FileMode.Open, FileAccess.Write))
        {
            fs.Position = 4096 * 5;
            fs.Write(Enumerable.Repeat((byte)0xA5, 4096 * 4).ToArray());
        }

        await using var reopened = await OpenAsync(DbPath);
        var seq = (await reopened.AppendAsync(Readings(1), CancellationToken.None))[0];
        Assert.True(seq > 5000, $"numbering restarted at {seq}");
        Assert.Single(CorruptFiles());
        Assert.Equal("ok", IntegrityCheck(DbPath));
    }

    [Fact]
    public async Task A_SQLite_file_of_another_application_is_moved_aside_not_used()
    {
        await using (var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            other.Open();
            using var cmd = other.CreateCommand();
            cmd.CommandText = "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT);";
            cmd.ExecuteNonQuery();
        }

        await using var outbox = await OpenAsync(DbPath);
        await outbox.AppendAsync(Readings(1), CancellationToken.None);
        Assert.Single(CorruptFiles());
    }

    [Fact]
    public async Task Recoveries_are_counted_across_replaced_files()
    {
        for (var i = 1; i <= 2; i++)
        {
            await File.WriteAllTextAsync(DbPath, "this is not a database, it is a shopping list");
            await using var outbox = await OpenAsync(DbPath);
            var stats = await SqliteOutbox.ReadStatsAsync(DbPath, TimeProvider.System, CancellationToken.None);
            Assert.Equal(i, stats.RecoveredFiles);
        }
    }
}

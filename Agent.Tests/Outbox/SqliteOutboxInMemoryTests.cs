using ShelfAgent.Outbox;
using static ShelfAgent.Tests.Outbox.OutboxTestData;

namespace ShelfAgent.Tests.Outbox;

/// <summary>The simulator's in-memory outbox (<see cref="OutboxOptions.InMemory"/>): 1 KB pages and no lookaside, same behaviour.</summary>
public sealed class SqliteOutboxInMemoryTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Keeps_a_backlog_of_many_pages_in_order_and_drains_it_when_in_memory()
    {
        var options = Options(_dir.File("outbox.db"));
        options.InMemory = true;
        await using var outbox = await SqliteOutbox.OpenAsync(options, TimeProvider.System, new ListLogger<SqliteOutbox>(), CancellationToken.None);

        // 3,000 readings are far more than one 1 KB page holds.
        var seqs = new List<long>();
        for (var i = 0; i < 30; i++)
        {
            seqs.AddRange(await outbox.AppendAsync(Readings(100, $"A{i % 6}"), CancellationToken.None));
        }

        var drained = new List<long>();
        while (true)
        {
            var batch = await outbox.LeaseAsync(250, CancellationToken.None);
            if (batch.Readings.Count == 0)
            {
                break;
            }

            drained.AddRange(batch.Readings.Select(r => r.Seq));
            await outbox.AckAsync(batch, CancellationToken.None);
        }

        Assert.Equal(Enumerable.Range(1, 3_000).Select(i => (long)i), seqs);
        Assert.Equal(seqs, drained.Order());
        Assert.False(File.Exists(_dir.File("outbox.db")));
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using ShelfAgent.Outbox;
using ShelfAgent.Simulator.Scale;
using ShelfAgent.Tests.Outbox;
using static ShelfAgent.Tests.Outbox.OutboxTestData;

namespace ShelfAgent.Tests.Simulator.Scale;

/// <summary>The <see cref="IOutbox"/> contract on the simulator's in-memory outbox (<c>--outbox memory</c>).</summary>
public sealed class MemoryOutboxContractTests : OutboxContractTests
{
    protected override Task<IOutbox> OpenAsync(TimeProvider time, long maxBytes = 256L * 1024 * 1024) =>
        Task.FromResult<IOutbox>(new MemoryOutbox(Options(Dir.File("outbox.db"), maxBytes), time, NullLogger<MemoryOutbox>.Instance));

    [Fact]
    public async Task Keeps_a_backlog_of_thousands_in_order_and_drains_it()
    {
        await using var outbox = await OpenAsync(TimeProvider.System);
        var seqs = new List<long>();
        for (var i = 0; i < 30; i++)
        {
            seqs.AddRange(await outbox.AppendAsync(Readings(100, $"A{i % 6}"), CancellationToken.None));
        }

        var drained = new List<long>();
        while ((await outbox.LeaseAsync(250, CancellationToken.None)) is { Readings.Count: > 0 } batch)
        {
            drained.AddRange(batch.Readings.Select(r => r.Seq));
            await outbox.AckAsync(batch, CancellationToken.None);
        }

        Assert.Equal(Enumerable.Range(1, 3_000).Select(i => (long)i), seqs);
        Assert.Equal(seqs, drained.Order());
        Assert.False(File.Exists(Dir.File("outbox.db")));
    }
}

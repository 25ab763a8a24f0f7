using System.Collections.Concurrent;
using static ShelfAgent.Tests.Outbox.OutboxTestData;

namespace ShelfAgent.Tests.Outbox;

public sealed class SqliteOutboxConcurrencyTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Every_reading_is_acknowledged_exactly_once_under_concurrent_appends_leases_releases_and_acks()
    {
        const int Producers = 4, Appends = 25, PerAppend = 40, Total = Producers * Appends * PerAppend;
        await using var outbox = await OpenAsync(_dir.File("o.db"));
        using var hang = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // a deadlock guard, not a speed check
        var acked = new ConcurrentDictionary<long, int>();
        var appended = 0;

        var producers = Enumerable.Range(0, Producers).Select(p => Task.Run(async () =>
        {
            for (var i = 0; i < Appends; i++)
            {
                await outbox.AppendAsync(Readings(PerAppend, $"P{p}"), hang.Token);
                Interlocked.Add(ref appended, PerAppend);
            }
        })).ToArray();

        var consumers = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
        {
            var random = new Random(c);
            while (acked.Count < Total)
            {
                var batch = await outbox.LeaseAsync(1 + random.Next(60), hang.Token);
                if (batch.IsEmpty)
                {
                    await Task.Delay(1, hang.Token);
                    continue;
                }

                Assert.Equal(batch.Readings.Count, batch.Readings.Select(r => r.Seq).Distinct().Count());
                if (random.Next(5) == 0)
                {
                    outbox.Release(batch); // a lost connection: must come back
                    continue;
                }

                // Sometimes acknowledge in two parts, as the publisher does when a payload is split.
                var cut = random.Next(batch.Readings.Count + 1);
                await outbox.AckAsync(batch with { Readings = batch.Readings.Take(cut).ToList() }, hang.Token);
                await outbox.AckAsync(batch with { Readings = batch.Readings.Skip(cut).ToList(), Dropped = new Dictionary<string, long>() }, hang.Token);
                foreach (var r in batch.Readings)
                {
                    acked.AddOrUpdate(r.Seq, 1, (_, n) => n + 1);
                }
            }
        })).ToArray();

        await Task.WhenAll(producers);
        await Task.WhenAll(consumers);

        Assert.Equal(Total, appended);
        Assert.Equal(Enumerable.Range(1, Total).Select(i => (long)i), acked.Keys.Order());
        Assert.All(acked.Values, n => Assert.Equal(1, n));
        Assert.Equal(0, outbox.Leasable);
        Assert.Equal(0, Scalar(_dir.File("o.db"), "SELECT count(*) FROM reading;"));
    }
}

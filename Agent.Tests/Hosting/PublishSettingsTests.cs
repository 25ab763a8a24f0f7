using ShelfAgent.Buffer;
using ShelfAgent.Hosting;
using ShelfAgent.IotCore;
using ShelfAgent.Stock;

namespace ShelfAgent.Tests.Hosting;

public sealed class PublishSettingsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static PublishSettings Settings(bool compact) => new(
        new Topics("store-1", "t1"), new TelemetryEnvelope("t1", "store-1"), TimeSpan.FromSeconds(5), 65536, 100, compact, TimeSpan.FromSeconds(60));

    private static StoredReading At(long seq, TimeSpan age) => new(seq, new Reading(Now - age, "A1", "COLA-355", 1000, 2, StockStatus.Low));

    [Fact]
    public void Live_only_batch_stays_v1()
        => Assert.False(Settings(true).UseCompact([At(1, TimeSpan.FromSeconds(3)), At(2, TimeSpan.FromSeconds(2))], Now));

    [Fact]
    public void Batch_that_starts_live_and_fills_from_backlog_goes_compact()
        => Assert.True(Settings(true).UseCompact([At(900, TimeSpan.FromSeconds(1)), At(3, TimeSpan.FromHours(5)), At(4, TimeSpan.FromHours(5))], Now));

    [Fact]
    public void Backlog_stays_v1_when_compact_backlog_is_off()
        => Assert.False(Settings(false).UseCompact([At(3, TimeSpan.FromHours(5))], Now));

    [Fact]
    public void Lease_size_follows_the_encoding_in_use()
    {
        Assert.Equal(6553, Settings(true).MaxReadingsPerBatch);
        Assert.Equal(728, Settings(false).MaxReadingsPerBatch);
    }
}

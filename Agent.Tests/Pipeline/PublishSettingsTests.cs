using ShelfAgent.Contract;
using ShelfAgent.Outbox;
using ShelfAgent.Pipeline;
using ShelfAgent.Stock;

namespace ShelfAgent.Tests.Pipeline;

public sealed class PublishSettingsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    // Live batches in v1 (Publish:LiveSchema shelf.telemetry.v1): the rules for backlog and piling-up live data.
    private static PublishSettings Settings(bool compact) => new(
        new Topics("store-1", "t1"),
        new TelemetryEnvelope("t1", "store-1"),
        TimeSpan.FromSeconds(5),
        65536,
        compact ? TelemetrySchema.V2 : TelemetrySchema.V1,
        TimeSpan.FromSeconds(60),
        LiveSchema: TelemetrySchema.V1);

    private static PublishSettings Defaults() => new(new Topics("store-1", "t1"), new TelemetryEnvelope("t1", "store-1"), TimeSpan.FromSeconds(5), 65536);

    [Fact]
    public void Live_only_batch_goes_v2_when_live_schema_is_left_at_its_default()
        => Assert.True(Defaults().UseCompact([At(1, TimeSpan.FromSeconds(3)), At(2, TimeSpan.FromSeconds(2))], Now));

    [Fact]
    public void Backlog_goes_v1_when_backlog_schema_is_v1_whatever_the_live_schema()
    {
        var settings = Defaults() with { BacklogSchema = TelemetrySchema.V1 };
        Assert.False(settings.UseCompact([At(1, TimeSpan.FromSeconds(1)), At(3, TimeSpan.FromHours(5))], Now));
        Assert.True(settings.UseCompact([At(1, TimeSpan.FromSeconds(1))], Now));
    }

    [Fact]
    public void Telemetry_goes_to_the_rules_basic_ingest_topic_when_a_rule_is_named_and_to_the_plain_topic_when_not()
    {
        Assert.Equal("$aws/rules/shelfagent_dev_telemetry/dt/shelf/store-1/t1/telemetry",
            (Defaults() with { BasicIngestRule = "shelfagent_dev_telemetry" }).TelemetryTopic);
        Assert.Equal("dt/shelf/store-1/t1/telemetry", Defaults().TelemetryTopic);
    }

    private static StoredReading At(long seq, TimeSpan age) => new(seq, new Reading(Now - age, "A1", "COLA-355", 1000, 2, StockStatus.Low));

    [Fact]
    public void Live_only_batch_stays_v1()
        => Assert.False(Settings(true).UseCompact([At(1, TimeSpan.FromSeconds(3)), At(2, TimeSpan.FromSeconds(2))], Now));

    [Fact]
    public void Batch_that_starts_live_and_fills_from_backlog_goes_compact()
        => Assert.True(Settings(true).UseCompact([At(900, TimeSpan.FromSeconds(1)), At(3, TimeSpan.FromHours(5)), At(4, TimeSpan.FromHours(5))], Now));

    [Fact]
    public void Live_readings_that_fill_a_whole_lease_go_compact()
        => Assert.True(Settings(true).UseCompact([At(1, TimeSpan.FromSeconds(3)), At(2, TimeSpan.FromSeconds(2))], Now, moreWaiting: true));

    [Fact]
    public void Backlog_stays_v1_when_compact_backlog_is_off()
        => Assert.False(Settings(false).UseCompact([At(3, TimeSpan.FromHours(5))], Now));

    [Fact]
    public void Lease_size_follows_the_encoding_in_use()
    {
        Assert.Equal(6553, Settings(true).MaxReadingsPerBatch);
        Assert.Equal(728, Settings(false).MaxReadingsPerBatch);
    }

    [Fact]
    public void Backlog_batches_are_a_64th_of_the_byte_budget_on_the_wire_under_a_rate_limit()
    {
        var aws = Settings(true) with { MaxBytesPerSecond = 512 * 1024 };
        var topic = new Topics("store-1", "t1").Telemetry;
        var packet = 1 + 2 + 2 + topic.Length + 2 + aws.BacklogPayloadBytes;
        Assert.InRange(ShelfAgent.Transport.PublishRateLimiter.WireCost(packet), 8_000, 8_192);
        Assert.Equal(aws.BacklogPayloadBytes / 10, aws.MaxReadingsPerBatch);
    }

    [Fact]
    public void Backlog_batches_grow_when_the_message_budget_is_small_and_live_batches_stay_under_a_quarter_second()
    {
        var fewMessages = Settings(true) with { MaxBytesPerSecond = 512 * 1024, MaxPublishesPerSecond = 10 };
        Assert.InRange(fewMessages.BacklogPayloadBytes, 65_536 - 1, 65_536); // 6 per second would be 87 KB: capped
        Assert.Equal(65536, (Settings(true) with { MaxBytesPerSecond = 512 * 1024 }).LivePayloadBytes);
        Assert.Equal(5_000, (Settings(true) with { MaxBytesPerSecond = 20_000 }).LivePayloadBytes);
        Assert.Equal(1024, (Settings(true) with { MaxBytesPerSecond = 1024 }).LivePayloadBytes);
    }

    [Fact]
    public void Backlog_batches_fill_max_payload_without_a_byte_limit_and_never_go_under_1_kb()
    {
        Assert.Equal(65536, Settings(true).BacklogPayloadBytes);
        Assert.Equal(65536, (Settings(true) with { MaxBytesPerSecond = 100L << 20 }).BacklogPayloadBytes);
        Assert.Equal(1024, (Settings(true) with { MaxBytesPerSecond = 10_000 }).BacklogPayloadBytes);
    }
}

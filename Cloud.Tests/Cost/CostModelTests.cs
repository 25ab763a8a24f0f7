using ShelfAgent.Bench;
using ShelfAgent.Cloud.Cost;

namespace ShelfAgent.Cloud.Tests.Cost;

public sealed class CostModelTests
{
    [Fact]
    public void Message_sizes_are_the_agents_own_when_its_encoders_write_them()
    {
        // The bench's `message-sizes` runs the agent's encoders; a change to the wire format fails here until
        // Cloud/Cost/MeasuredSizes.cs (and so the README's bill) follows.
        Assert.Equal(MeasuredSizes.TelemetryTopic, MessageSizes.TelemetryTopic.Length);
        Assert.Equal(MeasuredSizes.BasicIngestTelemetryTopic, MessageSizes.BasicIngestTelemetryTopic.Length);
        Assert.Equal(MeasuredSizes.Slots, MessageSizes.Slots);
        Assert.Equal(MeasuredSizes.LiveV1, MessageSizes.LiveV1());
        Assert.Equal(MeasuredSizes.LiveV2, MessageSizes.LiveV2());
        Assert.Equal(MeasuredSizes.MinuteV2, MessageSizes.MinuteV2());
        Assert.Equal(MeasuredSizes.MinuteV1, MessageSizes.MinuteV1());
        Assert.Equal(MeasuredSizes.Event, MessageSizes.Event());
        Assert.Equal(MeasuredSizes.Forecast, MessageSizes.Forecast());
    }

    [Fact]
    public void Readme_bill_is_the_models_when_the_docs_are_read()
    {
        var readme = File.ReadAllText(RepoFiles.PathOf("Cloud", "README.md")).ReplaceLineEndings("\n");
        Assert.Contains(CostScenarios.LeverTable(10_000, AwsPriceList.UsEast1).ReplaceLineEndings("\n"), readme, StringComparison.Ordinal);
        Assert.Contains(CostModel.Bill(CostScenarios.For(10_000)[CostScenarios.Shipped], AwsPriceList.UsEast1).ToMarkdown().ReplaceLineEndings("\n"), readme,
            StringComparison.Ordinal);
        Assert.Contains(CostScenarios.LeverTable(500, AwsPriceList.UsEast1).ReplaceLineEndings("\n"), readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Messaging_meters_each_publish_in_5_kb_units_of_payload_and_topic_when_billed()
    {
        // One device, one 14,062-byte v1 publish every 5 s on the plain topic: 3 units each, 525,600 publishes in 730 hours.
        var plain = new FleetProfile
        {
            Name = "one",
            Devices = 1,
            EventsPerDay = 0,
            ForecastsPerDay = 0,
            TelemetryBytes = MeasuredSizes.LiveV1 + MeasuredSizes.TelemetryTopic,
            BasicIngest = false,
        };
        var bill = CostModel.Bill(plain, AwsPriceList.UsEast1);
        var messaging = bill.Lines.Single(l => l.Service == "IoT Core messaging").Usd;
        Assert.Equal(525_600m * 3 / 1_000_000m * 1.00m, messaging);
        var basic = CostModel.Bill(plain with { BasicIngest = true }, AwsPriceList.UsEast1);
        Assert.Equal(0m, basic.Lines.Single(l => l.Service == "IoT Core messaging").Usd);
        Assert.Equal(bill.Lines.Single(l => l.Service.StartsWith("IoT Core rules", StringComparison.Ordinal)).Usd,
            basic.Lines.Single(l => l.Service.StartsWith("IoT Core rules", StringComparison.Ordinal)).Usd);
    }

    [Fact]
    public void Messaging_price_falls_by_tier_when_a_fleet_passes_a_billion_units()
    {
        // 10,000 devices sending live v1 on the plain topic (the agent before issue 21's levers): 15.9 G units → 1 G at $1.00,
        // 4 G at $0.80, the rest at $0.70.
        var bill = CostModel.Bill(CostScenarios.For(10_000)[1], AwsPriceList.UsEast1);
        var units = 10_000m * 525_600m * 3 + 10_000m * (480m * 730 / 24) + 10_000m * (96m * 730 / 24);
        var expected = 1_000m * 1.00m + 4_000m * 0.80m + (units / 1_000_000m - 5_000m) * 0.70m;
        Assert.Equal((double)expected, (double)bill.Lines.Single(l => l.Service == "IoT Core messaging").Usd, 3);
    }

    [Fact]
    public void Shipped_defaults_are_the_agents_defaults_when_priced()
    {
        // The shipped row prices what the agent sends with its defaults: per-minute summaries (Publish:Readings) as live v2
        // (Publish:LiveSchema) through Basic Ingest (Publish:BasicIngestRule) to the telemetry rule of Cloud's default stage.
        var agent = new ShelfAgent.Config.PublishOptions();
        Assert.Equal(ShelfAgent.Stock.PublishedReadings.Summaries, agent.Readings);
        Assert.Equal(ShelfAgent.Contract.TelemetrySchema.V2, agent.LiveSchema);
        Assert.Equal(new StageNaming(DefaultStage()).Rule(Topics.TelemetryRulePurpose), agent.BasicIngestRule);
        var shipped = CostScenarios.For(10_000)[CostScenarios.Shipped];
        Assert.True(shipped.BasicIngest);
        Assert.Equal(MeasuredSizes.MinuteV2 + MeasuredSizes.BasicIngestTelemetryTopic, shipped.TelemetryBytes);
        Assert.Equal(60, shipped.TelemetryIntervalSeconds);
        var bill = CostModel.Bill(shipped, AwsPriceList.UsEast1);
        Assert.Contains("telemetry on Basic Ingest", bill.Lines.Single(l => l.Service == "IoT Core messaging").Detail, StringComparison.Ordinal);
    }

    private static string DefaultStage() =>
        System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(RepoFiles.PathOf("Cloud", "cdk.json")))!["context"]!["stage"]!.GetValue<string>();

    [Fact]
    public void Shards_cover_every_reader_when_three_firehoses_read_the_stream()
    {
        var three = new FleetProfile { Name = "three", DrainingShare = 0, FirehoseReaders = 3 };
        var one = three with { FirehoseReaders = 1 };
        var bytes = 8.0 * 1024 * 1024 * CostModel.HoursPerMonth * 3600;
        // 8 MB/s: 8 shards for the writes; three readers at 2 MB/s per shard need 12.
        Assert.Equal(13, CostModel.Shards(three, 1, bytes));
        Assert.Equal(9, CostModel.Shards(one, 1, bytes));
    }

    [Fact]
    public void Shipped_defaults_meet_the_target_and_publishing_every_sample_misses_it_when_priced()
    {
        var bills = CostScenarios.For(10_000).Select(f => CostModel.Bill(f, AwsPriceList.UsEast1)).ToList();
        Assert.True(bills[CostScenarios.Shipped].PerDevice <= CostScenarios.TargetPerDevice);
        Assert.True(bills[CostScenarios.Shipped - 1].PerDevice > CostScenarios.TargetPerDevice);
        Assert.True(bills[^1].PerDevice <= CostScenarios.TargetPerDevice);
        // Each lever lowers the bill; the shipped stack (summaries, one Firehose on the stream) is below the stack before issue 21.
        Assert.Equal(bills.Select(b => b.Total).OrderDescending(), bills.Select(b => b.Total));
    }

    [Fact]
    public void Stream_carries_only_telemetry_and_firehose_bills_each_record_once_when_activity_goes_direct()
    {
        var activityOnly = new FleetProfile { Name = "one", Devices = 1, TelemetryIntervalSeconds = 1e9 };
        var one = CostModel.Bill(activityOnly, AwsPriceList.UsEast1);
        var three = CostModel.Bill(activityOnly with { FirehoseReaders = 3 }, AwsPriceList.UsEast1);
        decimal Firehose(MonthlyBill b) => b.Lines.Single(l => l.Service.StartsWith("Firehose", StringComparison.Ordinal)).Usd;
        Assert.Equal(3 * Firehose(one), Firehose(three));
        var line = one.Lines.Single(l => l.Service.StartsWith("Firehose", StringComparison.Ordinal));
        Assert.Contains("every record once", line.Detail, StringComparison.Ordinal);
    }
}

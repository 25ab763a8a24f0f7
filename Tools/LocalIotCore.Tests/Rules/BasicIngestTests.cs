using System.Text;
using MQTTnet;
using ShelfAgent.LocalIot.Rules;

namespace ShelfAgent.LocalIot.Tests.Rules;

/// <summary>
/// Basic Ingest (developer guide, "Reducing messaging costs with Basic Ingest"): the device policy allows a device its own
/// telemetry on the telemetry rule's $aws/rules/… topic, and the core stands in for the rule by republishing on the plain topic.
/// </summary>
public sealed class BasicIngestTests
{
    [Theory]
    [InlineData("$aws/rules/shelfagent_dev_telemetry/dt/shelf/s1/t1/telemetry", "shelfagent_dev_telemetry", "dt/shelf/s1/t1/telemetry")]
    [InlineData("$aws/rules/r/a", "r", "a")]
    public void Splits_rule_and_topic_when_the_topic_is_a_basic_ingest_topic(string topic, string rule, string ruleTopic)
    {
        Assert.True(BasicIngest.TryParse(topic, out var parsedRule, out var parsedTopic));
        Assert.Equal((rule, ruleTopic), (parsedRule, parsedTopic));
    }

    [Theory]
    [InlineData("dt/shelf/s1/t1/telemetry")]
    [InlineData("$aws/rules/")]
    [InlineData("$aws/rules/r")]
    [InlineData("$aws/rules/r/")]
    [InlineData("$aws/things/t1/shadow/update")]
    public void Refuses_to_split_when_the_topic_is_not_a_basic_ingest_topic(string topic) =>
        Assert.False(BasicIngest.TryParse(topic, out _, out _));

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Telemetry_sent_through_basic_ingest_arrives_on_the_plain_topic_and_never_on_the_rules_topic()
    {
        await using var core = await LocalIotCore.StartAsync();
        await core.RegisterThingAsync("t1", new Dictionary<string, string> { ["storeId"] = "s1" });
        var identity = await core.IssueThingCertificateAsync("t1");
        var observer = await core.IssueObserverCertificateAsync("viewer");
        await using var viewer = await core.ConnectAsync(observer, "viewer");
        // AWS lets nobody subscribe to Basic Ingest topics: the observer is denied them, and reads the stand-in's republish.
        await viewer.SubscribeAsync("$aws/rules/#", default);
        await viewer.SubscribeAsync("dt/shelf/#", default);
        await using var device = await core.ConnectAsync(identity, "t1");

        var rule = core.Options.BasicIngestRule;
        Assert.Equal(LocalIotCoreOptions.DefaultBasicIngestRule, rule);
        var code = await device.PublishAsync($"$aws/rules/{rule}/dt/shelf/s1/t1/telemetry", "{\"schema\":\"shelf.telemetry.v2\"}", default);

        Assert.True(code is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers, code.ToString());
        var plain = await viewer.NextAsync("dt/shelf/s1/t1/telemetry", TimeSpan.FromSeconds(30));
        Assert.Equal("{\"schema\":\"shelf.telemetry.v2\"}", Encoding.UTF8.GetString(plain.Payload));
        // mosquitto delivers the device's publish to every subscriber when it arrives, before the service (a subscriber too)
        // can republish it: had the observer been allowed the rule's topic, it would have it by now.
        Assert.DoesNotContain(viewer.Seen(), m => m.Topic.StartsWith(BasicIngest.Prefix, StringComparison.Ordinal));
        Assert.Empty(core.Faults);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Device_may_not_use_another_rule_or_another_things_basic_ingest_topic()
    {
        await using var core = await LocalIotCore.StartAsync();
        await core.RegisterThingAsync("t1", new Dictionary<string, string> { ["storeId"] = "s1" });
        var identity = await core.IssueThingCertificateAsync("t1");
        var rule = core.Options.BasicIngestRule;

        var otherRule = "$aws/rules/shelfagent_dev_stockout/dt/shelf/s1/t1/telemetry";
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await PublishOnceAsync(core, identity, otherRule));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await PublishOnceAsync(core, identity, $"$aws/rules/{rule}/dt/shelf/s1/t2/telemetry"));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await PublishOnceAsync(core, identity, $"$aws/rules/{rule}/dt/shelf/s1/t1/events"));
    }

    private static async Task<MqttClientPublishReasonCode> PublishOnceAsync(LocalIotCore core, IssuedIdentity identity, string topic)
    {
        await using var device = await core.ConnectAsync(identity, "t1");
        return await device.PublishAsync(topic, "{}", default);
    }
}

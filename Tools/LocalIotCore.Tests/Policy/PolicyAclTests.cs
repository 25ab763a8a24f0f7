using ShelfAgent.Cloud.Devices;
using ShelfAgent.LocalIot.Broker;
using ShelfAgent.LocalIot.Policy;

namespace ShelfAgent.LocalIot.Tests.Policy;

/// <summary>The mosquitto ACL the fixture derives from Cloud's device policy for one thing.</summary>
public sealed class PolicyAclTests
{
    private const string Arn = LocalIotCoreOptions.ArnPrefix;

    [Fact]
    public void Device_policy_becomes_write_on_its_own_topics_and_read_on_its_own_replies()
    {
        var policy = IotPolicy.Combine(
            IotPolicy.Parse(IotPolicyDocuments.DeviceJson(Arn, "r1")), IotPolicy.Parse(IotPolicyDocuments.DeviceOperationsJson(Arn, "Rotate")));
        var result = PolicyAcl.For(policy, ConnectionContext.ForThing("t1", new Dictionary<string, string> { ["storeId"] = "s1" }), Arn);

        Assert.Contains(new AclEntry("write", "dt/shelf/s1/t1/#"), result.Entries);
        Assert.Contains(new AclEntry("write", "$aws/rules/r1/dt/shelf/s1/t1/telemetry"), result.Entries);
        Assert.Contains(new AclEntry("write", "$aws/things/t1/shadow/update"), result.Entries);
        Assert.Contains(new AclEntry("write", "$aws/things/t1/jobs/+/update"), result.Entries);
        Assert.Contains(new AclEntry("read", "$aws/things/t1/shadow/update/#"), result.Entries);
        Assert.Contains(new AclEntry("read", "$aws/provisioning-templates/Rotate/provision/json/#"), result.Entries);
        Assert.DoesNotContain(result.Entries, e => e.Topic.Contains("${", StringComparison.Ordinal));
        Assert.Empty(result.Unexpressed);
    }

    [Fact]
    public void Thing_without_its_store_attribute_gets_no_telemetry_topic()
    {
        var policy = IotPolicy.Combine(
            IotPolicy.Parse(IotPolicyDocuments.DeviceJson(Arn, "r1")), IotPolicy.Parse(IotPolicyDocuments.DeviceOperationsJson(Arn, "Rotate")));
        var result = PolicyAcl.For(policy, ConnectionContext.ForThing("t1"), Arn);
        Assert.DoesNotContain(result.Entries, e => e.Topic.StartsWith("dt/", StringComparison.Ordinal));
        Assert.Contains(result.Unexpressed, u => u.Contains("Attributes[storeId]", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("a/*", "a/#")]
    [InlineData("a/*/b", "a/+/b")]
    [InlineData("a/b", "a/b")]
    [InlineData("a/b*", null)]
    [InlineData("a/?", null)]
    [InlineData("a/+", null)]
    public void Policy_topic_patterns_map_to_mqtt_filters_only_where_mosquitto_can_say_the_same(string pattern, string? filter) =>
        Assert.Equal(filter, PolicyAcl.MqttTopic(pattern));
}

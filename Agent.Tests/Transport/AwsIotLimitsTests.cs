using MQTTnet.Protocol;
using ShelfAgent.Transport;

namespace ShelfAgent.Tests.Transport;

public sealed class AwsIotLimitsTests
{
    [Theory]
    [InlineData("a1b2c3d4e5f6g7-ats.iot.eu-west-1.amazonaws.com", true)]
    [InlineData("A1B2-ATS.IOT.US-EAST-1.AMAZONAWS.COM.", true)]
    [InlineData("data.iot.us-east-1.amazonaws.com", true)]
    [InlineData("iot.us-east-1.amazonaws.com", false)]
    [InlineData("s3.eu-west-1.amazonaws.com", false)]
    [InlineData("broker.example.com", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("", false)]
    public void Recognises_aws_iot_data_endpoints(string host, bool expected)
        => Assert.Equal(expected, AwsIotLimits.IsAwsIotEndpoint(host));

    [Fact]
    public void Refuses_qos2_everywhere()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AwsIotLimits.CheckPublish("a/b", 1, MqttQualityOfServiceLevel.ExactlyOnce, awsRules: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => AwsIotLimits.CheckSubscribe("a/#", MqttQualityOfServiceLevel.ExactlyOnce, awsRules: false));
    }

    [Fact]
    public void Refuses_payloads_over_128_kb_everywhere_and_accepts_exactly_128_kb()
    {
        AwsIotLimits.CheckPublish("a", 131_072, MqttQualityOfServiceLevel.AtLeastOnce, awsRules: false);
        var e = Assert.Throws<ArgumentException>(() => AwsIotLimits.CheckPublish("a", 131_073, MqttQualityOfServiceLevel.AtLeastOnce, awsRules: false));
        Assert.Contains("128 KB", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Enforces_topic_length_and_eight_levels_only_under_aws_rules()
    {
        var nineLevels = "a/b/c/d/e/f/g/h/i";
        var longTopic = new string('t', 257);
        AwsIotLimits.CheckPublish(nineLevels, 1, MqttQualityOfServiceLevel.AtLeastOnce, awsRules: false);
        AwsIotLimits.CheckPublish(longTopic, 1, MqttQualityOfServiceLevel.AtLeastOnce, awsRules: false);
        AwsIotLimits.CheckPublish("a/b/c/d/e/f/g/h", 1, MqttQualityOfServiceLevel.AtLeastOnce, awsRules: true);
        Assert.Throws<ArgumentException>(() => AwsIotLimits.CheckPublish(nineLevels, 1, MqttQualityOfServiceLevel.AtLeastOnce, awsRules: true));
        Assert.Throws<ArgumentException>(() => AwsIotLimits.CheckPublish(longTopic, 1, MqttQualityOfServiceLevel.AtLeastOnce, awsRules: true));
        Assert.Throws<ArgumentException>(() => AwsIotLimits.CheckSubscribe("a/b/c/d/e/f/g/h/#", MqttQualityOfServiceLevel.AtLeastOnce, awsRules: true));
    }

    [Theory]
    [InlineData("$aws/things/shelf-1/shadow/update", true)]
    [InlineData("$aws/certificates/create/json", true)]
    [InlineData("$aws/provisioning-templates/Shelf/provision/json", true)]
    [InlineData("$aws/rules/telemetry_rule/dt/shelf/s1/t1/a/b/c/d", true)] // basic ingest prefix not counted
    [InlineData("$aws/events/presence/connected/shelf-1", false)]
    [InlineData("$SYS/broker", false)]
    public void Allows_only_documented_aws_reserved_topics_under_aws_rules(string topic, bool allowed)
    {
        AwsIotLimits.CheckPublish(topic, 1, MqttQualityOfServiceLevel.AtLeastOnce, awsRules: false);
        if (allowed)
        {
            AwsIotLimits.CheckPublish(topic, 1, MqttQualityOfServiceLevel.AtLeastOnce, awsRules: true);
        }
        else
        {
            Assert.Throws<ArgumentException>(() => AwsIotLimits.CheckPublish(topic, 1, MqttQualityOfServiceLevel.AtLeastOnce, awsRules: true));
        }
    }
}

using ShelfAgent.Transport;

namespace ShelfAgent.Tests.Transport;

public sealed class MqttTopicTests
{
    [Theory]
    // MQTT 3.1.1 §4.7.1.2 and §4.7.1.3 examples.
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/ranking", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true)]
    [InlineData("sport/#", "sport", true)]
    [InlineData("#", "sport/tennis", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1/ranking", false)]
    [InlineData("sport/+", "sport", false)]
    [InlineData("sport/+", "sport/", true)]
    [InlineData("+/+", "/finance", true)]
    [InlineData("/+", "/finance", true)]
    [InlineData("+", "/finance", false)]
    [InlineData("dt/shelf/+/+/telemetry", "dt/shelf/s1/t1/telemetry", true)]
    [InlineData("dt/shelf/+/+/telemetry", "dt/shelf/s1/t1/events", false)]
    [InlineData("a/b", "a/b/c", false)]
    [InlineData("a/b/c", "a/b", false)]
    // §4.7.2: wildcards at the first level do not match $-topics.
    [InlineData("#", "$SYS/broker", false)]
    [InlineData("+/monitor/Clients", "$SYS/monitor/Clients", false)]
    [InlineData("$SYS/#", "$SYS/monitor/Clients", true)]
    public void Matches_as_the_spec_examples_say(string filter, string topic, bool expected)
        => Assert.Equal(expected, MQTTnet.MqttTopicFilterComparer.Compare(topic, filter) == MQTTnet.MqttTopicFilterCompareResult.IsMatch);

    [Theory]
    [InlineData("sport/tennis#")]
    [InlineData("sport/tennis/#/ranking")]
    [InlineData("sport+")]
    [InlineData("")]
    public void Rejects_invalid_filters(string filter)
        => Assert.Throws<ArgumentException>(() => MqttTopic.ValidateFilter(filter, nameof(filter)));

    [Theory]
    [InlineData("a/+/b")]
    [InlineData("a/#")]
    [InlineData("")]
    public void Rejects_topic_names_with_wildcards_or_empty(string topic)
        => Assert.Throws<ArgumentException>(() => MqttTopic.ValidateName(topic, nameof(topic)));
}

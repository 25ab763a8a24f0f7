using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using ShelfAgent.Transport;

namespace ShelfAgent.Tests.Transport;

/// <summary>The one PUBLISH size formula, checked against the bytes MQTTnet's own encoder writes.</summary>
public sealed class PublishPacketSizeTests
{
    [Theory]
    [InlineData(MqttProtocolVersion.V500, 40, 0, true, false)]
    [InlineData(MqttProtocolVersion.V500, 40, 10, true, true)]
    [InlineData(MqttProtocolVersion.V500, 40, 200, false, false)]
    [InlineData(MqttProtocolVersion.V500, 40, 8_150, true, false)]        // two Remaining Length bytes
    [InlineData(MqttProtocolVersion.V500, 40, 16_400, true, true)]        // three
    [InlineData(MqttProtocolVersion.V500, 40, 131_072, true, false)]
    [InlineData(MqttProtocolVersion.V311, 40, 0, true, false)]
    [InlineData(MqttProtocolVersion.V311, 12, 125, false, false)]
    [InlineData(MqttProtocolVersion.V311, 40, 16_400, true, false)]
    public void Counts_what_mqttnet_writes(MqttProtocolVersion protocol, int topicLength, int payloadBytes, bool qos1, bool alias)
    {
        var topic = new string('t', topicLength);
        var packet = new MqttPublishPacket
        {
            Topic = alias ? "" : topic,
            TopicAlias = (ushort)(alias ? 1 : 0),
            PayloadSegment = new ArraySegment<byte>(new byte[payloadBytes]),
            QualityOfServiceLevel = qos1 ? MqttQualityOfServiceLevel.AtLeastOnce : MqttQualityOfServiceLevel.AtMostOnce,
            PacketIdentifier = (ushort)(qos1 ? 1 : 0),
        };
        var written = new MqttPacketFormatterAdapter(protocol, new MqttBufferWriter(4096, 256 * 1024)).Encode(packet).Length;

        var counted = PublishPacketSize.Of(
            alias ? 0 : topicLength,
            payloadBytes,
            qos1,
            protocol == MqttProtocolVersion.V500 ? (alias ? PublishPacketSize.TopicAliasPropertyBytes : 0) : null);

        Assert.Equal(written, counted);
    }

    [Theory]
    [InlineData(8_192, 40)]
    [InlineData(20_000, 40)]
    [InlineData(1_024, 200)]
    public void The_largest_payload_within_a_budget_fits_it_and_one_byte_more_would_not(int budget, int topicBytes)
    {
        var payload = PublishPacketSize.LargestPayloadWithin(budget, topicBytes);

        Assert.InRange(
            PublishRateLimiter.WireCost(PublishPacketSize.Of(topicBytes, payload, true, PublishPacketSize.TopicAliasPropertyBytes)),
            budget - 3,
            budget);
        Assert.True(PublishRateLimiter.WireCost(PublishPacketSize.Of(topicBytes, payload + 4, true, PublishPacketSize.TopicAliasPropertyBytes)) > budget);
    }
}

using ShelfAgent.Mqtt;
using ShelfAgent.Mqtt.Formatter;
using ShelfAgent.Mqtt.Packets;

namespace ShelfAgent.Tests.Mqtt.Formatter;

public sealed class MqttPacketDecoderTests
{
    [Theory]
    [InlineData(new byte[] { 0x00, 0x00 })]                          // reserved type 0
    [InlineData(new byte[] { 0xF0, 0x00 })]                          // reserved type 15
    [InlineData(new byte[] { 0x21, 0x02, 0x00, 0x00 })]              // CONNACK with flags
    [InlineData(new byte[] { 0x80, 0x06, 0, 1, 0, 1, (byte)'a', 0 })] // SUBSCRIBE without the 0010 flags
    [InlineData(new byte[] { 0x20, 0x02, 0x02, 0x00 })]              // CONNACK reserved ack flags
    [InlineData(new byte[] { 0x20, 0x02, 0x00, 0x06 })]              // CONNACK reserved return code
    [InlineData(new byte[] { 0x20, 0x02, 0x01, 0x05 })]              // session present with a refusal
    [InlineData(new byte[] { 0x20, 0x03, 0x00, 0x00, 0x00 })]        // CONNACK too long
    [InlineData(new byte[] { 0x40, 0x02, 0x00, 0x00 })]              // PUBACK id 0
    [InlineData(new byte[] { 0x40, 0x01, 0x00 })]                    // PUBACK too short
    [InlineData(new byte[] { 0x36, 0x05, 0, 1, (byte)'a', 0, 1 })]   // PUBLISH QoS 3
    [InlineData(new byte[] { 0x38, 0x03, 0, 1, (byte)'a' })]         // PUBLISH DUP at QoS 0
    [InlineData(new byte[] { 0x30, 0x03, 0, 1, (byte)'#' })]         // PUBLISH topic with a wildcard
    [InlineData(new byte[] { 0x30, 0x02, 0, 0 })]                    // PUBLISH empty topic
    [InlineData(new byte[] { 0x30, 0x03, 0, 5, (byte)'a' })]         // string longer than the packet
    [InlineData(new byte[] { 0x90, 0x02, 0, 1 })]                    // SUBACK without codes
    [InlineData(new byte[] { 0x90, 0x03, 0, 1, 0x03 })]              // SUBACK reserved code
    [InlineData(new byte[] { 0x50, 0x02, 0, 1 })]                    // PUBREC: QoS 2 flow
    [InlineData(new byte[] { 0xC0, 0x01, 0x00 })]                    // PINGREQ with a body
    [InlineData(new byte[] { 0xD0, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F })]   // remaining length with 5 bytes
    public void Rejects_malformed_input_with_a_protocol_exception(byte[] bytes)
    {
        var decoder = new MqttPacketDecoder();
        Assert.Throws<MqttProtocolException>(() => decoder.TryDecode(bytes, out _, out _));
    }

    [Fact]
    public void Rejects_a_packet_longer_than_the_limit_from_its_header_alone()
    {
        // A header announcing ~268 MB: refused before any body byte arrives, so nothing is allocated for it.
        var decoder = new MqttPacketDecoder(256 * 1024);
        var ex = Assert.Throws<MqttProtocolException>(() => decoder.TryDecode([0x30, 0xFF, 0xFF, 0xFF, 0x7F], out _, out _));
        Assert.Contains("MaxIncomingPacketBytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_a_packet_exactly_at_the_limit()
    {
        var packet = new PublishPacket("t", new byte[100]);
        var bytes = MqttPacketCodecTests.Encode(packet);
        var decoder = new MqttPacketDecoder(bytes.Length);
        Assert.True(decoder.TryDecode(bytes, out _, out _));
        Assert.Throws<MqttProtocolException>(() => new MqttPacketDecoder(bytes.Length - 1).TryDecode(bytes, out _, out _));
    }

    [Fact]
    public void Reports_the_whole_length_once_the_header_is_complete()
    {
        var decoder = new MqttPacketDecoder();
        Assert.False(decoder.TryGetPacketLength([0x30], out _));
        Assert.False(decoder.TryGetPacketLength([0x30, 0x80], out _));
        Assert.True(decoder.TryGetPacketLength([0x30, 0x80, 0x01], out var length));
        Assert.Equal(3 + 128, length);
    }
}

using System.Buffers;
using ShelfAgent.Mqtt;
using ShelfAgent.Mqtt.Formatter;
using ShelfAgent.Mqtt.Packets;

namespace ShelfAgent.Tests.Mqtt.Formatter;

public sealed class MqttPacketCodecTests
{
    public static TheoryData<MqttPacket> Packets() => new()
    {
        new ConnectPacket("shelf-001", false, 60),
        new ConnectPacket("shelf-002", true, 1200, new MqttWill("dt/shelf/s1/shelf-002/status", "{\"online\":false}"u8.ToArray(), MqttQos.AtLeastOnce, true), "user", new byte[] { 1, 2, 0, 255 }),
        new ConnectPacket("", true, 0, null, "only-user"),
        new ConnAckPacket(true, ConnectReturnCode.Accepted),
        new ConnAckPacket(false, ConnectReturnCode.NotAuthorized),
        new PublishPacket("dt/shelf/s1/t/telemetry", "{\"g\":12.5}"u8.ToArray(), MqttQos.AtLeastOnce, false, true, 65535),
        new PublishPacket("a", ReadOnlyMemory<byte>.Empty),
        new PublishPacket("retained/ü/日本", new byte[200_000], MqttQos.AtMostOnce, true),
        new PubAckPacket(1),
        new SubscribePacket(7, [new MqttTopicFilter("cmd/+/x/#", MqttQos.AtLeastOnce), new MqttTopicFilter("#", MqttQos.AtMostOnce)]),
        new SubAckPacket(7, new byte[] { 0x00, 0x01, 0x80 }),
        new UnsubscribePacket(9, ["cmd/+/x/#", "a/b"]),
        new UnsubAckPacket(9),
        PingReqPacket.Instance,
        PingRespPacket.Instance,
        DisconnectPacket.Instance,
    };

    [Theory]
    [MemberData(nameof(Packets))]
    public void Decodes_what_it_encodes_for_every_packet_type(MqttPacket packet)
    {
        var writer = new ArrayBufferWriter<byte>();
        var written = MqttPacketEncoder.Encode(packet, writer);

        Assert.Equal(MqttPacketEncoder.GetSize(packet), written);
        var decoder = new MqttPacketDecoder(1_000_000);
        Assert.True(decoder.TryDecode(writer.WrittenSpan, out var decoded, out var consumed));
        Assert.Equal(written, consumed);
        Assert.Equal(Describe(packet), Describe(decoded));
    }

    [Theory]
    [MemberData(nameof(Packets))]
    public void Needs_more_data_for_every_strict_prefix_of_a_packet(MqttPacket packet)
    {
        var bytes = Encode(packet);
        var decoder = new MqttPacketDecoder(1_000_000);
        foreach (var cut in new[] { 0, 1, 2, bytes.Length / 2, bytes.Length - 1 }.Where(c => c < bytes.Length).Distinct())
        {
            Assert.False(decoder.TryDecode(bytes.AsSpan(0, cut), out _, out var consumed));
            Assert.Equal(0, consumed);
        }
    }

    [Fact]
    public void Decodes_packets_one_after_another_from_one_buffer()
    {
        var bytes = Encode(new PubAckPacket(3)).Concat(Encode(PingRespPacket.Instance)).Concat(Encode(new PubAckPacket(4))).ToArray();
        var decoder = new MqttPacketDecoder();
        var offset = 0;
        var seen = new List<MqttPacket>();
        while (decoder.TryDecode(bytes.AsSpan(offset), out var packet, out var consumed))
        {
            seen.Add(packet);
            offset += consumed;
        }

        Assert.Equal([new PubAckPacket(3), PingRespPacket.Instance, new PubAckPacket(4)], seen);
        Assert.Equal(bytes.Length, offset);
    }

    [Fact]
    public void Encodes_publish_header_flags_as_the_spec_table_shows()
    {
        // §3.3.1: 0011 DUP QoS QoS RETAIN
        var bytes = Encode(new PublishPacket("t", new byte[] { 9 }, MqttQos.AtLeastOnce, true, true, 0x0102));
        Assert.Equal(new byte[] { 0b0011_1011, 6, 0, 1, (byte)'t', 1, 2, 9 }, bytes);
    }

    [Fact]
    public void Encodes_connect_variable_header_as_the_spec_example_shows()
    {
        // §3.1.2.11 example: 00 04 'M' 'Q' 'T' 'T' 04 flags keepalive(00 0A)
        var bytes = Encode(new ConnectPacket("c", true, 10));
        Assert.Equal(new byte[] { 0x10, 13, 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 0x02, 0, 10, 0, 1, (byte)'c' }, bytes);
    }

    [Fact]
    public void Refuses_to_encode_packet_id_zero_for_qos1()
        => Assert.Throws<ArgumentException>(() => MqttPacketEncoder.GetSize(new PublishPacket("t", default, MqttQos.AtLeastOnce)));

    [Fact]
    public void Refuses_to_encode_a_topic_with_a_null_character()
        => Assert.Throws<ArgumentException>(() => MqttPacketEncoder.GetSize(new PublishPacket("a\0b", default)));

    internal static byte[] Encode(MqttPacket packet)
    {
        var writer = new ArrayBufferWriter<byte>();
        MqttPacketEncoder.Encode(packet, writer);
        return writer.WrittenSpan.ToArray();
    }

    // Records with ReadOnlyMemory/list members compare by reference: compare a canonical text instead.
    internal static string Describe(MqttPacket packet) => packet switch
    {
        ConnectPacket c => $"CONNECT {c.ClientId} {c.CleanSession} {c.KeepAliveSeconds} {c.Username} {Hex(c.Password)} "
            + (c.Will is { } w ? $"{w.Topic} {Hex(w.Payload)} {w.Qos} {w.Retain}" : "-"),
        PublishPacket p => $"PUBLISH {p.Topic} {p.Qos} {p.Retain} {p.Dup} {p.PacketId} {Hex(p.Payload)}",
        SubscribePacket s => $"SUBSCRIBE {s.PacketId} " + string.Join(",", s.Filters.Select(f => $"{f.Filter}:{f.Qos}")),
        SubAckPacket s => $"SUBACK {s.PacketId} " + Convert.ToHexString(s.ReturnCodes.ToArray()),
        UnsubscribePacket u => $"UNSUBSCRIBE {u.PacketId} " + string.Join(",", u.Filters),
        _ => packet.ToString(),
    };

    private static string Hex(ReadOnlyMemory<byte>? bytes) => bytes is { } b ? Convert.ToHexString(b.Span) : "null";
}

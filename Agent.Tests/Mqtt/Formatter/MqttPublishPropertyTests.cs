using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using ShelfAgent.Mqtt;
using ShelfAgent.Mqtt.Formatter;
using ShelfAgent.Mqtt.Packets;

namespace ShelfAgent.Tests.Mqtt.Formatter;

public sealed class MqttPublishPropertyTests
{
    private static readonly Gen<string> s_level = Gen.Elements("dt", "shelf", "s1", "t-42", "telemetry", "ü", "日本", "a b", "", "$x");

    [Fact]
    public void Any_publish_round_trips_and_decodes_from_any_split_point_as_a_property()
    {
        var gen =
            from levels in Gen.ListOf(s_level).Where(l => l.Count is > 0 and < 12)
            from payload in ArbMap.Default.GeneratorFor<byte[]>()
            from qos in Gen.Elements(MqttQos.AtMostOnce, MqttQos.AtLeastOnce)
            from retain in ArbMap.Default.GeneratorFor<bool>()
            from dup in ArbMap.Default.GeneratorFor<bool>()
            from id in Gen.Choose(1, 65_535)
            from split in Gen.Choose(0, 1000)
            select (Packet: new PublishPacket(string.Join('/', levels) is { Length: > 0 } t ? t : "x", payload ?? [], qos, retain,
                qos == MqttQos.AtLeastOnce && dup, qos == MqttQos.AtLeastOnce ? (ushort)id : (ushort)0), Split: split);

        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var writer = new ArrayBufferWriter<byte>();
            MqttPacketEncoder.Encode(t.Packet, writer);
            var bytes = writer.WrittenSpan.ToArray();
            var decoder = new MqttPacketDecoder(1 << 20);
            var cut = t.Split % bytes.Length;
            var partialIsIncomplete = !decoder.TryDecode(bytes.AsSpan(0, cut), out _, out _);
            return partialIsIncomplete
                && decoder.TryDecode(bytes, out var decoded, out var consumed)
                && consumed == bytes.Length
                && MqttPacketCodecTests.Describe(decoded) == MqttPacketCodecTests.Describe(t.Packet);
        }).QuickCheckThrowOnFailure();
    }
}

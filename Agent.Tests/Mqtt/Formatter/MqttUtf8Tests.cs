using FsCheck;
using FsCheck.Fluent;
using ShelfAgent.Mqtt;
using ShelfAgent.Mqtt.Formatter;

namespace ShelfAgent.Tests.Mqtt.Formatter;

public sealed class MqttUtf8Tests
{
    [Fact]
    public void Round_trips_any_string_without_nulls_or_lone_surrogates_as_a_property()
    {
        var valid = ArbMap.Default.ArbFor<string>().Filter(s => s is not null && !s.Contains('\0', StringComparison.Ordinal) && IsWellFormed(s));
        Prop.ForAll(valid, s =>
        {
            var buffer = new byte[MqttUtf8.GetSize(s, "topic")];
            var written = MqttUtf8.Write(buffer, s);
            return written == buffer.Length && MqttUtf8.Decode(buffer.AsSpan(2)) == s && buffer[0] * 256 + buffer[1] == written - 2;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Decode_throws_only_protocol_exceptions_for_random_bytes_as_a_property()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            try
            {
                var s = MqttUtf8.Decode(bytes);
                return !s.Contains('\0', StringComparison.Ordinal);
            }
            catch (MqttProtocolException)
            {
                return true;
            }
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData(new byte[] { 0x41, 0x00 })]             // U+0000 (§1.5.3-2)
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]       // encoded surrogate U+D800 (§1.5.3-1)
    [InlineData(new byte[] { 0xC0, 0xAF })]             // overlong encoding
    [InlineData(new byte[] { 0xE2, 0x82 })]             // truncated sequence
    public void Decode_rejects_what_section_1_5_3_forbids(byte[] bytes)
        => Assert.Throws<MqttProtocolException>(() => MqttUtf8.Decode(bytes));

    [Fact]
    public void Keeps_a_byte_order_mark_as_a_character()
        => Assert.Equal("\uFEFFa", MqttUtf8.Decode([0xEF, 0xBB, 0xBF, 0x61])); // §1.5.3-3

    [Fact]
    public void Refuses_to_encode_a_lone_surrogate()
        => Assert.Throws<ArgumentException>(() => MqttUtf8.GetSize("a\uD800", "topic"));

    [Fact]
    public void Refuses_to_encode_more_than_65535_bytes()
        => Assert.Throws<ArgumentException>(() => MqttUtf8.GetSize(new string('x', 65_536), "topic"));

    private static bool IsWellFormed(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return false;
            }
        }

        return true;
    }
}

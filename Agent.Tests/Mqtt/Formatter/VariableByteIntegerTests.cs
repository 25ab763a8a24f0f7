using FsCheck;
using FsCheck.Fluent;
using ShelfAgent.Mqtt;
using ShelfAgent.Mqtt.Formatter;

namespace ShelfAgent.Tests.Mqtt.Formatter;

public sealed class VariableByteIntegerTests
{
    [Theory]
    // MQTT 3.1.1 §2.2.3 table 2.4: the boundaries of each size.
    [InlineData(0, new byte[] { 0x00 })]
    [InlineData(127, new byte[] { 0x7F })]
    [InlineData(128, new byte[] { 0x80, 0x01 })]
    [InlineData(16_383, new byte[] { 0xFF, 0x7F })]
    [InlineData(16_384, new byte[] { 0x80, 0x80, 0x01 })]
    [InlineData(2_097_151, new byte[] { 0xFF, 0xFF, 0x7F })]
    [InlineData(2_097_152, new byte[] { 0x80, 0x80, 0x80, 0x01 })]
    [InlineData(268_435_455, new byte[] { 0xFF, 0xFF, 0xFF, 0x7F })]
    public void Encodes_the_spec_table_values(int value, byte[] expected)
    {
        var buffer = new byte[4];
        var written = VariableByteInteger.Write(buffer, value);
        Assert.Equal(expected, buffer[..written]);
    }

    [Fact]
    public void Round_trips_every_value_in_range_as_a_property()
    {
        Prop.ForAll(Gen.Choose(0, VariableByteInteger.MaxValue).ToArbitrary(), value =>
        {
            var buffer = new byte[4];
            var written = VariableByteInteger.Write(buffer, value);
            return VariableByteInteger.TryRead(buffer.AsSpan(0, written), out var read, out var consumed)
                && read == value && consumed == written && written == VariableByteInteger.GetSize(value);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Needs_more_data_for_every_truncated_encoding_as_a_property()
    {
        Prop.ForAll(Gen.Choose(128, VariableByteInteger.MaxValue).ToArbitrary(), value =>
        {
            var buffer = new byte[4];
            var written = VariableByteInteger.Write(buffer, value);
            return !VariableByteInteger.TryRead(buffer.AsSpan(0, written - 1), out _, out var consumed) && consumed == 0;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Throws_protocol_exception_when_a_fifth_byte_would_be_needed()
        => Assert.Throws<MqttProtocolException>(() => VariableByteInteger.TryRead([0xFF, 0xFF, 0xFF, 0xFF, 0x01], out _, out _));

    [Theory]
    [InlineData(-1)]
    [InlineData(268_435_456)]
    public void Refuses_to_encode_values_out_of_range(int value)
        => Assert.Throws<ArgumentOutOfRangeException>(() => VariableByteInteger.Write(new byte[8], value));
}

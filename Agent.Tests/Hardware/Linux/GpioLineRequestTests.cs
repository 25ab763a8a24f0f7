using System.Buffers.Binary;
using System.Runtime.InteropServices;
using ShelfAgent.Hardware;
using ShelfAgent.Hardware.Linux;

namespace ShelfAgent.Tests.Hardware.Linux;

/// <summary>The bytes GPIO_V2_GET_LINE_IOCTL would receive, read at the offsets gpio.h gives them (little-endian arm64/x86-64).</summary>
public sealed class GpioLineRequestTests
{
    private static byte[] Bytes(GpioV2LineRequest r) => MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref r, 1)).ToArray();

    [Fact]
    public void An_output_request_names_one_line_and_sets_its_initial_value_as_an_attribute()
    {
        var b = Bytes(LinuxGpioChip.BuildRequest(6, GpioUapi.FlagOutput, initialHigh: true, "shelf-agent hx711 sck"));

        Assert.Equal(6u, BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(0)));        // offsets[0]
        Assert.Equal("shelf-agent hx711 sck\0", System.Text.Encoding.ASCII.GetString(b, 256, 22)); // consumer
        Assert.Equal(1UL << 3, BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(288)));  // config.flags = OUTPUT
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(296)));      // config.num_attrs
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(320)));      // attrs[0].attr.id = OUTPUT_VALUES
        Assert.Equal(1UL, BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(328)));     // attrs[0].attr.values
        Assert.Equal(1UL, BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(336)));     // attrs[0].mask
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(560)));      // num_lines
    }

    [Theory]
    [InlineData(GpioBias.AsIs, 0b0000_0000_0100)]
    [InlineData(GpioBias.PullUp, 0b0001_0000_0100)]
    [InlineData(GpioBias.PullDown, 0b0010_0000_0100)]
    [InlineData(GpioBias.Disabled, 0b0100_0000_0100)]
    public void Input_flags_carry_the_bias(GpioBias bias, ulong expected)
        => Assert.Equal(expected, LinuxGpioChip.InputFlags(bias));

    [Fact]
    public void A_long_consumer_label_is_cut_to_31_bytes_and_stays_nul_terminated()
    {
        var b = Bytes(LinuxGpioChip.BuildRequest(5, GpioUapi.FlagInput, false, new string('x', 40)));

        Assert.Equal((byte)'x', b[256 + 30]);
        Assert.Equal(0, b[256 + 31]);
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(296))); // no attributes for an input
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ShelfAgent.Hardware.Linux;

namespace ShelfAgent.Tests.Hardware.Linux;

/// <summary>Struct sizes and ioctl numbers against include/uapi/linux/gpio.h, i2c-dev.h and i2c.h (64-bit).</summary>
public sealed class UapiLayoutTests
{
    [Fact]
    public void Gpio_structs_have_the_kernel_sizes()
    {
        Assert.Equal(68, Unsafe.SizeOf<GpioChipInfo>());            // 32 + 32 + 4
        Assert.Equal(16, Unsafe.SizeOf<GpioV2LineValues>());        // bits, mask
        Assert.Equal(16, Unsafe.SizeOf<GpioV2LineAttribute>());     // id, padding, union of u64
        Assert.Equal(24, Unsafe.SizeOf<GpioV2LineConfigAttribute>());
        Assert.Equal(272, Unsafe.SizeOf<GpioV2LineConfig>());       // 8 + 4 + 20 + 10 × 24
        Assert.Equal(592, Unsafe.SizeOf<GpioV2LineRequest>());      // 256 + 32 + 272 + 4 + 4 + 20 + 4
    }

    [Fact]
    public void Gpio_request_fields_sit_at_the_kernel_offsets()
    {
        Assert.Equal((nint)256, Marshal.OffsetOf<GpioV2LineRequest>(nameof(GpioV2LineRequest.Consumer)));
        Assert.Equal((nint)288, Marshal.OffsetOf<GpioV2LineRequest>(nameof(GpioV2LineRequest.Config)));
        Assert.Equal((nint)560, Marshal.OffsetOf<GpioV2LineRequest>(nameof(GpioV2LineRequest.NumLines)));
        Assert.Equal((nint)588, Marshal.OffsetOf<GpioV2LineRequest>(nameof(GpioV2LineRequest.Fd)));
        Assert.Equal((nint)32, Marshal.OffsetOf<GpioV2LineConfig>(nameof(GpioV2LineConfig.Attrs)));
        Assert.Equal((nint)8, Marshal.OffsetOf<GpioV2LineAttribute>(nameof(GpioV2LineAttribute.Value)));
    }

    [Fact]
    public void Gpio_ioctl_numbers_match_the_header_encoding()
    {
        Assert.Equal(0x8044B401u, GpioUapi.GetChipInfo);   // _IOR(0xB4, 0x01, 68)
        Assert.Equal(0xC250B407u, GpioUapi.GetLine);       // _IOWR(0xB4, 0x07, 592)
        Assert.Equal(0xC110B40Du, GpioUapi.SetConfig);     // _IOWR(0xB4, 0x0D, 272)
        Assert.Equal(0xC010B40Eu, GpioUapi.GetValues);     // _IOWR(0xB4, 0x0E, 16)
        Assert.Equal(0xC010B40Fu, GpioUapi.SetValues);     // _IOWR(0xB4, 0x0F, 16)
    }

    [Fact]
    public void Gpio_line_flags_match_the_header()
    {
        Assert.Equal(1UL << 2, GpioUapi.FlagInput);
        Assert.Equal(1UL << 3, GpioUapi.FlagOutput);
        Assert.Equal(1UL << 8, GpioUapi.FlagBiasPullUp);
        Assert.Equal(1UL << 9, GpioUapi.FlagBiasPullDown);
        Assert.Equal(1UL << 10, GpioUapi.FlagBiasDisabled);
        Assert.Equal(2u, GpioUapi.AttrIdOutputValues);
    }

    [Fact]
    public void I2c_structs_and_requests_match_the_header()
    {
        Assert.Equal(16, Unsafe.SizeOf<I2cMessage>());       // u16 addr, flags, len, pad, u8 *buf
        Assert.Equal(16, Unsafe.SizeOf<I2cRdwrIoctlData>()); // msgs pointer, u32 nmsgs, pad
        Assert.Equal((nint)8, Marshal.OffsetOf<I2cMessage>(nameof(I2cMessage.Buffer)));
        Assert.Equal(0x0703u, I2cUapi.Slave);
        Assert.Equal(0x0705u, I2cUapi.Funcs);
        Assert.Equal(0x0707u, I2cUapi.ReadWrite);
        Assert.Equal((ushort)1, I2cUapi.MessageRead);
    }
}

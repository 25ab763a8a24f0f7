using System.Runtime.InteropServices;

namespace ShelfAgent.Hardware.Linux;

/// <summary>
/// <c>struct gpio_v2_line_attribute</c> (gpio.h): id, padding, then a union of u64 flags / u64 values /
/// u32 debounce_period_us, modelled as one u64; 16 bytes.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GpioV2LineAttribute
{
    public uint Id;
    public uint Padding;
    public ulong Value;
}

using System.Runtime.InteropServices;

namespace ShelfAgent.Hardware.Linux;

/// <summary><c>struct gpio_v2_line_values</c> (gpio.h): bits and mask, indexed by position in the request's offsets; 16 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GpioV2LineValues
{
    public ulong Bits;
    public ulong Mask;
}

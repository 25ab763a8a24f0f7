using System.Runtime.InteropServices;

namespace ShelfAgent.Hardware.Linux;

/// <summary><c>struct gpiochip_info</c> (gpio.h): 68 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct GpioChipInfo
{
    public fixed byte Name[GpioUapi.MaxNameSize];
    public fixed byte Label[GpioUapi.MaxNameSize];
    public uint Lines;
}

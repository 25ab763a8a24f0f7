using System.Runtime.InteropServices;

namespace ShelfAgent.Hardware.Linux;

/// <summary><c>struct gpio_v2_line_config_attribute</c> (gpio.h): an attribute and the mask of lines it applies to; 24 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GpioV2LineConfigAttribute
{
    public GpioV2LineAttribute Attr;
    public ulong Mask;
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ShelfAgent.Hardware.Linux;

/// <summary>
/// <c>struct gpio_v2_line_config</c> (gpio.h): default flags, num_attrs, 5 × u32 padding, then
/// GPIO_V2_LINE_NUM_ATTRS_MAX (10) attributes; 272 bytes.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct GpioV2LineConfig
{
    public ulong Flags;
    public uint NumAttrs;
    public fixed uint Padding[5];
    public AttributeArray Attrs;

    /// <summary>Ten attributes inline, as in the C array.</summary>
    [InlineArray(GpioUapi.NumAttrsMax)]
    public struct AttributeArray
    {
        private GpioV2LineConfigAttribute _element;
    }
}

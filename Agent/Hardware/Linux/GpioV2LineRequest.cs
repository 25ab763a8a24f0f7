using System.Runtime.InteropServices;

namespace ShelfAgent.Hardware.Linux;

/// <summary>
/// <c>struct gpio_v2_line_request</c> (gpio.h): offsets[64], consumer[32], config, num_lines,
/// event_buffer_size, 5 × u32 padding, fd; 592 bytes. On success the kernel fills <see cref="Fd"/>
/// with the line request's file descriptor.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct GpioV2LineRequest
{
    public fixed uint Offsets[GpioUapi.LinesMax];
    public fixed byte Consumer[GpioUapi.MaxNameSize];
    public GpioV2LineConfig Config;
    public uint NumLines;
    public uint EventBufferSize;
    public fixed uint Padding[5];
    public int Fd;
}

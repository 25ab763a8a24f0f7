using System.Runtime.InteropServices;

namespace ShelfAgent.Hardware.Linux;

/// <summary>A single requested line; values go through GPIO_V2_LINE_GET/SET_VALUES_IOCTL on the request's descriptor.</summary>
internal sealed unsafe class LinuxGpioLine(int chip, int offset, FileDescriptor fd) : IGpioLine
{
    public int Offset => offset;

    public bool Read()
    {
        var values = new GpioV2LineValues { Mask = 1 };
        if (Libc.Ioctl(fd.Value, GpioUapi.GetValues, &values) < 0)
        {
            throw HardwareErrors.GpioLine(chip, offset, "read", Marshal.GetLastPInvokeError());
        }

        return (values.Bits & 1) != 0;
    }

    public void Write(bool high)
    {
        var values = new GpioV2LineValues { Mask = 1, Bits = high ? 1UL : 0UL };
        if (Libc.Ioctl(fd.Value, GpioUapi.SetValues, &values) < 0)
        {
            throw HardwareErrors.GpioLine(chip, offset, "write", Marshal.GetLastPInvokeError());
        }
    }

    public void Dispose() => fd.Dispose();
}

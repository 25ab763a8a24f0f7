using System.Runtime.InteropServices;
using System.Text;

namespace ShelfAgent.Hardware.Linux;

/// <summary>/dev/gpiochipN through the GPIO character device uAPI v2 (Linux 5.10+). Each line is its own request.</summary>
internal sealed unsafe class LinuxGpioChip : IGpioChip
{
    private readonly FileDescriptor _fd;

    private LinuxGpioChip(int chip, FileDescriptor fd)
    {
        Chip = chip;
        _fd = fd;
    }

    public int Chip { get; }

    public static LinuxGpioChip Open(int chip) => Open(HardwareErrors.GpioPath(chip), chip);

    /// <summary>As <see cref="Open(int)"/> for a given path (tests point it at a node that is not a GPIO chip).</summary>
    internal static LinuxGpioChip Open(string path, int chip)
    {
        var fd = FileDescriptor.TryOpen(path, out var errno)
            ?? throw HardwareErrors.GpioOpen(chip, errno);
        GpioChipInfo info;
        if (Libc.Ioctl(fd.Value, GpioUapi.GetChipInfo, &info) < 0)
        {
            var e = Marshal.GetLastPInvokeError();
            fd.Dispose();
            throw HardwareErrors.GpioOpen(chip, e);
        }

        return new LinuxGpioChip(chip, fd);
    }

    public IGpioLine OpenInput(int offset, GpioBias bias, string consumer)
        => Request(offset, InputFlags(bias), initialHigh: false, consumer);

    /// <summary>INPUT plus the bias flag.</summary>
    internal static ulong InputFlags(GpioBias bias) => GpioUapi.FlagInput | BiasFlags(bias);

    public IGpioLine OpenOutput(int offset, bool initialHigh, string consumer)
        => Request(offset, GpioUapi.FlagOutput, initialHigh, consumer);

    public void Dispose() => _fd.Dispose();

    private static ulong BiasFlags(GpioBias bias) => bias switch
    {
        GpioBias.PullUp => GpioUapi.FlagBiasPullUp,
        GpioBias.PullDown => GpioUapi.FlagBiasPullDown,
        GpioBias.Disabled => GpioUapi.FlagBiasDisabled,
        _ => 0,
    };

    /// <summary>The GPIO_V2_GET_LINE_IOCTL argument for one line. Pure, so tests can check what the kernel would get.</summary>
    internal static GpioV2LineRequest BuildRequest(int offset, ulong flags, bool initialHigh, string consumer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var request = default(GpioV2LineRequest);
        request.Offsets[0] = (uint)offset;
        request.NumLines = 1;
        var label = Encoding.ASCII.GetBytes(consumer ?? "");
        // consumer is a NUL-terminated char[32].
        for (var i = 0; i < Math.Min(label.Length, GpioUapi.MaxNameSize - 1); i++)
        {
            request.Consumer[i] = label[i];
        }

        request.Config.Flags = flags;
        if ((flags & GpioUapi.FlagOutput) != 0)
        {
            // gpio.h: output values are an attribute, so the line is driven to a known level from the start.
            request.Config.NumAttrs = 1;
            request.Config.Attrs[0].Attr.Id = GpioUapi.AttrIdOutputValues;
            request.Config.Attrs[0].Attr.Value = initialHigh ? 1UL : 0UL;
            request.Config.Attrs[0].Mask = 1;
        }

        return request;
    }

    private LinuxGpioLine Request(int offset, ulong flags, bool initialHigh, string consumer)
    {
        var request = BuildRequest(offset, flags, initialHigh, consumer);
        if (Libc.Ioctl(_fd.Value, GpioUapi.GetLine, &request) < 0)
        {
            throw HardwareErrors.GpioLine(Chip, offset, "line request", Marshal.GetLastPInvokeError());
        }

        return new LinuxGpioLine(Chip, offset, new FileDescriptor(request.Fd));
    }
}

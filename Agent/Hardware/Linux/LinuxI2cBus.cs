using System.Runtime.InteropServices;

namespace ShelfAgent.Hardware.Linux;

/// <summary>/dev/i2c-N: opens devices and probes addresses for <c>sensors scan</c>.</summary>
internal sealed unsafe class LinuxI2cBus : II2cBus
{
    private readonly FileDescriptor _fd;

    private LinuxI2cBus(int bus, FileDescriptor fd)
    {
        Bus = bus;
        _fd = fd;
    }

    public int Bus { get; }

    public static LinuxI2cBus Open(int bus) => new(bus, OpenNode(bus));

    /// <summary>Opens the node and checks that the adapter does plain I2C, which I2C_RDWR needs.</summary>
    internal static FileDescriptor OpenNode(int bus) => OpenNode(HardwareErrors.I2cPath(bus), bus);

    /// <summary>As <see cref="OpenNode(int)"/> for a given path (tests point it at a node that is not an adapter).</summary>
    internal static FileDescriptor OpenNode(string path, int bus)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bus);
        var fd = FileDescriptor.TryOpen(path, out var errno)
            ?? throw HardwareErrors.I2cOpen(bus, errno);
        nuint funcs = 0;
        if (Libc.Ioctl(fd.Value, I2cUapi.Funcs, &funcs) < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            fd.Dispose();
            throw HardwareErrors.I2cOpen(bus, errno);
        }

        if ((funcs & (nuint)I2cUapi.FuncI2c) == 0)
        {
            fd.Dispose();
            throw new HardwareException($"{HardwareErrors.I2cPath(bus)} is an SMBus-only adapter; plain I2C transfers (I2C_FUNC_I2C) are needed");
        }

        return fd;
    }

    internal static void Transfer(FileDescriptor fd, int bus, int address, I2cMessage* messages, uint count)
    {
        var data = new I2cRdwrIoctlData { Messages = messages, Count = count };
        if (Libc.Ioctl(fd.Value, I2cUapi.ReadWrite, &data) < 0)
        {
            throw HardwareErrors.I2cTransfer(bus, address, Marshal.GetLastPInvokeError());
        }
    }

    public II2cDevice OpenDevice(int address) => LinuxI2cDevice.Open(Bus, address);

    public bool Probe(int address)
    {
        // A one-byte read, like i2cdetect -r: harmless for the chips we use, unlike a quick write,
        // which some write-only parts treat as a command.
        byte b = 0;
        var message = new I2cMessage { Address = (ushort)address, Flags = I2cUapi.MessageRead, Length = 1, Buffer = &b };
        try
        {
            Transfer(_fd, Bus, address, &message, 1);
            return true;
        }
        catch (I2cNackException)
        {
            return false;
        }
    }

    public void Dispose() => _fd.Dispose();
}

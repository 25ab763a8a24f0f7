using System.Runtime.InteropServices;

namespace ShelfAgent.Hardware.Linux;

/// <summary>
/// One device on /dev/i2c-N. Every transfer is an I2C_RDWR ioctl, so a register read is a write and a
/// read joined by a repeated START, as the NAU7802 and ADS1115 datasheets draw it.
/// </summary>
internal sealed unsafe class LinuxI2cDevice : II2cDevice
{
    private readonly FileDescriptor _fd;

    private LinuxI2cDevice(int bus, int address, FileDescriptor fd)
    {
        Bus = bus;
        Address = address;
        _fd = fd;
    }

    public int Bus { get; }

    public int Address { get; }

    /// <summary>Opens the bus node, checks it does plain I2C (I2C_FUNCS) and claims the address (I2C_SLAVE: EBUSY if a kernel driver owns it).</summary>
    public static LinuxI2cDevice Open(int bus, int address)
    {
        if (address is < 0x03 or > 0x77)
        {
            throw new ArgumentOutOfRangeException(nameof(address), address, "7-bit I2C addresses run from 0x03 to 0x77");
        }

        var fd = LinuxI2cBus.OpenNode(bus);
        if (Libc.Ioctl(fd.Value, I2cUapi.Slave, (nuint)address) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            fd.Dispose();
            throw HardwareErrors.I2cTransfer(bus, address, errno);
        }

        return new LinuxI2cDevice(bus, address, fd);
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            var message = new I2cMessage { Address = (ushort)Address, Flags = 0, Length = (ushort)data.Length, Buffer = p };
            Transfer(&message, 1);
        }
    }

    public void Read(Span<byte> data)
    {
        fixed (byte* p = data)
        {
            var message = new I2cMessage { Address = (ushort)Address, Flags = I2cUapi.MessageRead, Length = (ushort)data.Length, Buffer = p };
            Transfer(&message, 1);
        }
    }

    public void WriteRead(ReadOnlySpan<byte> write, Span<byte> read)
    {
        fixed (byte* w = write)
        fixed (byte* r = read)
        {
            var messages = stackalloc I2cMessage[2];
            messages[0] = new I2cMessage { Address = (ushort)Address, Flags = 0, Length = (ushort)write.Length, Buffer = w };
            messages[1] = new I2cMessage { Address = (ushort)Address, Flags = I2cUapi.MessageRead, Length = (ushort)read.Length, Buffer = r };
            Transfer(messages, 2);
        }
    }

    public void Dispose() => _fd.Dispose();

    private void Transfer(I2cMessage* messages, uint count)
        => LinuxI2cBus.Transfer(_fd, Bus, Address, messages, count);
}

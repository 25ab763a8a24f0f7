using System.Runtime.InteropServices;

namespace ShelfAgent.Hardware.Linux;

/// <summary><c>struct i2c_msg</c> (i2c.h): addr, flags, len (u16 each), then a pointer; 16 bytes on 64-bit.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct I2cMessage
{
    public ushort Address;
    public ushort Flags;
    public ushort Length;
    public byte* Buffer;
}

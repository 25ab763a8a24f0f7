using System.Runtime.InteropServices;

namespace ShelfAgent.Hardware.Linux;

/// <summary><c>struct i2c_rdwr_ioctl_data</c> (i2c-dev.h): pointer to messages and their count; 16 bytes on 64-bit.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct I2cRdwrIoctlData
{
    public I2cMessage* Messages;
    public uint Count;
}

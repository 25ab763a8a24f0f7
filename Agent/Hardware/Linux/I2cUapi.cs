namespace ShelfAgent.Hardware.Linux;

/// <summary>Constants of the I2C device interface (include/uapi/linux/i2c-dev.h, include/uapi/linux/i2c.h).</summary>
internal static class I2cUapi
{
    /// <summary>I2C_SLAVE: use this 7-bit address for plain read()/write() (refused with EBUSY if a kernel driver owns it).</summary>
    public const uint Slave = 0x0703;

    /// <summary>I2C_FUNCS: get the adapter's functionality mask (unsigned long).</summary>
    public const uint Funcs = 0x0705;

    /// <summary>I2C_RDWR: combined transfer of several messages with repeated starts (struct i2c_rdwr_ioctl_data).</summary>
    public const uint ReadWrite = 0x0707;

    /// <summary>I2C_M_RD in struct i2c_msg.flags: this message reads from the device.</summary>
    public const ushort MessageRead = 0x0001;

    /// <summary>I2C_FUNC_I2C: the adapter does plain I2C transfers (needed for I2C_RDWR).</summary>
    public const ulong FuncI2c = 0x00000001;

    /// <summary>I2C_RDWR_IOCTL_MAX_MSGS (i2c-dev.h): the kernel refuses more messages per transfer.</summary>
    public const int MaxMessages = 42;
}

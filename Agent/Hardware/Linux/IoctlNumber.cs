namespace ShelfAgent.Hardware.Linux;

/// <summary>
/// The kernel's <c>_IOC</c> encoding (include/uapi/asm-generic/ioctl.h, used by x86-64 and arm64):
/// direction in bits 31–30, argument size in 29–16, type in 15–8, number in 7–0.
/// </summary>
internal static class IoctlNumber
{
    private const uint Write = 1;
    private const uint Read = 2;

    /// <summary><c>_IOR(type, nr, size)</c>.</summary>
    public static uint IoR(uint type, uint nr, int size) => Encode(Read, type, nr, size);

    /// <summary><c>_IOWR(type, nr, size)</c>.</summary>
    public static uint IoWR(uint type, uint nr, int size) => Encode(Read | Write, type, nr, size);

    private static uint Encode(uint dir, uint type, uint nr, int size)
    {
        // _IOC_SIZEBITS is 14.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, 0x3FFF);
        return (dir << 30) | ((uint)size << 16) | (type << 8) | nr;
    }
}

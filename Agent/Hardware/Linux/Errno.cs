namespace ShelfAgent.Hardware.Linux;

/// <summary>Linux errno values the hardware layer tells apart (asm-generic/errno-base.h, errno.h; same on x86-64 and arm64).</summary>
internal static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EIO = 5;
    public const int ENXIO = 6;
    public const int EAGAIN = 11;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int ENODEV = 19;
    public const int EINVAL = 22;
    public const int ENOTTY = 25;
    public const int EOPNOTSUPP = 95;
    public const int ETIMEDOUT = 110;
    public const int EREMOTEIO = 121;
}

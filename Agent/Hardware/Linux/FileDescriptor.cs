using System.Runtime.InteropServices;

namespace ShelfAgent.Hardware.Linux;

/// <summary>A Linux file descriptor that is closed exactly once.</summary>
internal sealed class FileDescriptor : SafeHandle
{
    public FileDescriptor(int fd)
        : base(new IntPtr(-1), ownsHandle: true) => SetHandle(new IntPtr(fd));

    public override bool IsInvalid => handle.ToInt64() < 0;

    public int Value => (int)handle.ToInt64();

    /// <summary>Opens a path read-write, close-on-exec; returns null and the errno on failure.</summary>
    public static FileDescriptor? TryOpen(string path, out int errno)
    {
        var fd = Libc.Open(path, Libc.O_RDWR | Libc.O_CLOEXEC);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd < 0 ? null : new FileDescriptor(fd);
    }

    protected override bool ReleaseHandle() => Libc.Close(Value) == 0;
}

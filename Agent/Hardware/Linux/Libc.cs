using System.Runtime.InteropServices;

namespace ShelfAgent.Hardware.Linux;

/// <summary>
/// The libc calls the hardware and storage layers need. <c>ioctl</c> is variadic in C; on Linux x86-64 and
/// AArch64 (AAPCS64, unlike Apple's) a variadic pointer argument is passed like a fixed one, so a fixed
/// three-argument signature is correct on the Pi.
/// </summary>
internal static unsafe partial class Libc
{
    public const int O_RDWR = 0x2;

    // Same value on x86-64 and arm64 generic headers (asm-generic/fcntl.h: 02000000).
    public const int O_CLOEXEC = 0x80000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    public const int O_RDONLY = 0x0;

    // rename(2) replaces a symbolic link itself, whatever it points at (File.Move refuses a link to a folder).
    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Rename(string from, string to);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Chown(string path, int owner, int group);

    // statx(2): its struct has one layout on every architecture (unlike stat), so a byte buffer and fixed offsets are safe.
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    public const int AT_FDCWD = -100;

    // statvfs(3): on 64-bit glibc (x86-64 and AArch64 share the generic layout) f_flag is the unsigned long at byte
    // 72 of 112; ST_RDONLY is bit 0 (sys/statvfs.h). The 32-bit layout differs: callers check Is64BitProcess.
    [LibraryImport("libc", EntryPoint = "statvfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Statvfs(string path, byte* buffer);

    public const int StatvfsSize = 112;
    public const int StatvfsFlagOffset = 72;
    public const ulong ST_RDONLY = 1;

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, void* argument);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, nuint argument);
}

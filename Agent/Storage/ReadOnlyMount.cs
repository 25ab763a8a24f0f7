using ShelfAgent.Hardware.Linux;

namespace ShelfAgent.Storage;

/// <summary>
/// Whether a path lies on a file system mounted read-only, and where that mount begins. No chown or chmod makes such
/// a folder writable, only a remount or another place does, so a hint must tell the two apart. Asks the kernel
/// (statvfs's ST_RDONLY, which covers a read-only file system, a read-only bind mount and systemd's ProtectSystem=)
/// rather than matching the EROFS of a failed write: a user without permission gets EACCES first on a read-only
/// bind mount.
/// </summary>
public static unsafe class ReadOnlyMount
{
    // statx(2) STATX_MNT_ID (Linux 5.8): stx_mnt_id, a u64 at byte 144 of the 256-byte struct; stx_mask at byte 0.
    private const uint StatxMntId = 0x1000;
    private const int StatxMntIdOffset = 144;

    /// <summary>
    /// The mount point of the read-only file system that holds <paramref name="path"/> (which must exist), or null when
    /// it is writable or the kernel cannot tell (off Linux, a 32-bit process).
    /// </summary>
    public static string? Of(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!IsReadOnly(path))
        {
            return null;
        }

        // Walk up while the parent is on the same mount: the last such folder is the mount point. Without a mount id
        // (kernel before 5.8) the path itself is named, which is still where the write failed.
        var top = Path.GetFullPath(path);
        if (MountId(top) is not { } mount)
        {
            return top;
        }

        for (var parent = Path.GetDirectoryName(top); parent is not null && MountId(parent) == mount; parent = Path.GetDirectoryName(parent))
        {
            top = parent;
        }

        return top;
    }

    private static bool IsReadOnly(string path)
    {
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess)
        {
            return false;
        }

        var buffer = stackalloc byte[Libc.StatvfsSize];
        return Libc.Statvfs(path, buffer) == 0 && (*(ulong*)(buffer + Libc.StatvfsFlagOffset) & Libc.ST_RDONLY) != 0;
    }

    private static ulong? MountId(string path)
    {
        var buffer = stackalloc byte[256];
        if (Libc.Statx(Libc.AT_FDCWD, path, 0, StatxMntId, buffer) != 0 || (*(uint*)buffer & StatxMntId) == 0)
        {
            return null;
        }

        return *(ulong*)(buffer + StatxMntIdOffset);
    }
}

using ShelfAgent.Hardware.Linux;

namespace ShelfAgent.Storage;

/// <summary>Reads and sets a file's owner and group (Linux), so a replaced file keeps them: agent.json is
/// <c>root:shelf-agent</c> 0640 on a device, and a new file written by root would otherwise be <c>root:root</c>, which the
/// service could not read.</summary>
public static unsafe class FileOwnership
{
    // struct statx (include/uapi/linux/stat.h): stx_uid at byte 20, stx_gid at 24; 256 bytes in all.
    private const uint StatxUid = 0x8;
    private const uint StatxGid = 0x10;

    /// <summary>The owner and group, or null off Linux or when the file cannot be examined.</summary>
    public static (int Uid, int Gid)? Of(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var buffer = stackalloc byte[256];
        if (Libc.Statx(Libc.AT_FDCWD, path, 0, StatxUid | StatxGid, buffer) != 0)
        {
            return null;
        }

        return (*(int*)(buffer + 20), *(int*)(buffer + 24));
    }

    /// <summary>Sets owner and group; false when not permitted (only root may give a file away).</summary>
    public static bool TrySet(string path, (int Uid, int Gid) owner) => OperatingSystem.IsLinux() && Libc.Chown(path, owner.Uid, owner.Gid) == 0;
}

namespace ShelfAgent.Outbox;

/// <summary>
/// A pre-allocated file beside the buffer (<c>&lt;Buffer:Path&gt;.reserve</c>) that is deleted when the file system is
/// full: on a full disk even the delete that evicts old readings needs room in the write-ahead log, and without this
/// file there is none (docs/buffer.md, "A full disk"). Created again once the disk has room.
/// </summary>
internal sealed class OutboxReserve
{
    /// <summary>The reserve's size: the WAL's 4 MB autocheckpoint, so a full WAL can be checkpointed into a grown file.</summary>
    public const long DefaultBytes = 4L * 1024 * 1024;

    /// <summary>The file name's suffix after the buffer's path.</summary>
    public const string Suffix = ".reserve";

    private readonly long _bytes;

    public OutboxReserve(string bufferPath, long bytes = DefaultBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        Path = bufferPath + Suffix;
        _bytes = bytes;
    }

    /// <summary>The reserve file.</summary>
    public string Path { get; }

    /// <summary>The reserve's size in bytes.</summary>
    public long Bytes => _bytes;

    /// <summary>True when the reserve file is on disk at its full size.</summary>
    public bool Held
    {
        get
        {
            var info = new FileInfo(Path);
            return info.Exists && info.Length == _bytes;
        }
    }

    /// <summary>
    /// Writes the reserve (real blocks, not a sparse file: zeros written) unless it is already there.
    /// Returns false, leaving no partial file, when the disk has no room for it.
    /// </summary>
    public bool TryCreate()
    {
        if (Held)
        {
            return true;
        }

        try
        {
            using (var file = new FileStream(Path, FileMode.Create, FileAccess.Write, FileShare.None, 0))
            {
                var zeros = new byte[64 * 1024];
                for (long written = 0; written < _bytes; written += zeros.Length)
                {
                    file.Write(zeros, 0, (int)Math.Min(zeros.Length, _bytes - written));
                }

                // No fsync: written blocks are taken from the free space at write time, which is all this is for.
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete();
            return false;
        }
    }

    /// <summary>Deletes the reserve, handing its blocks back to the file system. Returns the bytes freed (0 when none was held).</summary>
    public long Release()
    {
        var info = new FileInfo(Path);
        if (!info.Exists)
        {
            return 0;
        }

        var length = info.Length;
        return TryDelete() ? length : 0;
    }

    private bool TryDelete()
    {
        try
        {
            File.Delete(Path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

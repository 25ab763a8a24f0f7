using System.Globalization;
using System.Text;

namespace ShelfAgent.Outbox;

/// <summary>
/// The sidecar file <c>&lt;buffer&gt;.seq</c>: a reservation of sequence numbers that outlives the buffer file
/// itself, so a replaced (corrupt, deleted) buffer never hands out a number that was already published.
/// Before a commit uses a sequence number above <see cref="Reserved"/>, the reservation is raised by
/// <see cref="Block"/> and written durably (write, fsync, rename). A fresh buffer file starts one whole block
/// above the reservation, a margin that covers a sidecar update lost in a power cut.
/// It also counts buffer files recovered (moved aside), because that count must survive the replacement too.
/// </summary>
internal sealed class SeqHighWaterMark
{
    /// <summary>Sequence numbers reserved per sidecar write.</summary>
    public const long Block = 1_000_000;

    /// <summary>The sidecar's suffix after the buffer file's name.</summary>
    public const string Suffix = ".seq";

    private readonly string _path;

    private SeqHighWaterMark(string path, long reserved, long recovered, bool existed)
    {
        _path = path;
        Reserved = reserved;
        RecoveredFiles = recovered;
        Existed = existed;
    }

    /// <summary>Every sequence number ever committed with this sidecar present is ≤ this.</summary>
    public long Reserved { get; private set; }

    /// <summary>Buffer files moved aside because they could not be opened or failed their check.</summary>
    public long RecoveredFiles { get; private set; }

    /// <summary>Whether the sidecar exists (was found when loaded, or has been written since).</summary>
    public bool Existed { get; private set; }

    /// <summary>
    /// Where the first reading of a buffer file without a recorded next sequence number starts: 1 on a
    /// device's first start, otherwise a whole block above the reservation (the safety margin).
    /// </summary>
    public long FreshStart => Existed ? Reserved + Block + 1 : 1;

    /// <summary>Reads the sidecar of <paramref name="bufferPath"/>; a missing or unreadable one reads as empty.</summary>
    public static SeqHighWaterMark Load(string bufferPath)
    {
        var path = bufferPath + Suffix;
        if (!TryRead(path, out var reserved, out var recovered))
        {
            return new SeqHighWaterMark(path, 0, 0, existed: false);
        }

        return new SeqHighWaterMark(path, reserved, recovered, existed: true);
    }

    /// <summary>Reads a sidecar without keeping it (for the stats command).</summary>
    public static bool TryRead(string path, out long reserved, out long recovered)
    {
        reserved = 0;
        recovered = 0;
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        var found = false;
        foreach (var line in text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (line.StartsWith('#') || eq < 0
                || !long.TryParse(line.AsSpan(eq + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            switch (line[..eq])
            {
                case "reserved":
                    reserved = value;
                    found = true;
                    break;
                case "recovered":
                    recovered = value;
                    break;
            }
        }

        return found;
    }

    /// <summary>Makes sure every number up to <paramref name="lastSeq"/> is reserved, writing the sidecar if not.</summary>
    /// <returns>True when the sidecar was written.</returns>
    public bool EnsureReserved(long lastSeq)
    {
        if (lastSeq <= Reserved)
        {
            return false;
        }

        Reserved = lastSeq + Block;
        Save();
        return true;
    }

    /// <summary>Counts a recovered buffer file and raises the reservation past what the old file had used.</summary>
    public void RecordRecovery(long oldLastSeq)
    {
        RecoveredFiles++;
        Reserved = Math.Max(Reserved, oldLastSeq);
        Save();
    }

    private void Save()
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"# ShelfAgent outbox: sequence numbers reserved so far. Keep this file beside the buffer (docs/buffer.md).\n" +
            $"reserved={Reserved}\nrecovered={RecoveredFiles}\n");
        var tmp = _path + ".tmp";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            fs.Write(Encoding.UTF8.GetBytes(text));
            // fsync before the rename so the rename never exposes an empty file after a power cut.
            fs.Flush(flushToDisk: true);
        }

        File.Move(tmp, _path, overwrite: true);
        Existed = true;
    }
}

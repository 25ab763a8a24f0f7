using System.Text;

namespace ShelfAgent.LocalIot.Broker;

/// <summary>
/// Follows a broker's log file as mosquitto appends to it and keeps the operations parsed so far
/// (<see cref="MosquittoLog"/>): each call reads only what was added since the last, up to the last complete line,
/// so a core that runs for hours does not parse its whole log again every time. Thread-safe.
/// </summary>
public sealed class MosquittoLogFollower(string path)
{
    private readonly Lock _gate = new();
    private readonly MosquittoLog _log = new();
    private byte[] _partial = [];
    private long _offset;

    /// <summary>Every operation logged so far, in order.</summary>
    public IReadOnlyList<MqttOperation> Read()
    {
        lock (_gate)
        {
            if (File.Exists(path))
            {
                // mosquitto keeps the file open for writing: share it.
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var length = stream.Length;
                if (length > _offset)
                {
                    stream.Position = _offset;
                    var bytes = new byte[_partial.Length + length - _offset];
                    _partial.CopyTo(bytes, 0);
                    stream.ReadExactly(bytes.AsSpan(_partial.Length));
                    _offset = length;
                    // Up to the last complete line only, cut on bytes: a UTF-8 character never spans a newline.
                    var end = Array.LastIndexOf(bytes, (byte)'\n');
                    _partial = end < 0 ? bytes : bytes[(end + 1)..];
                    if (end >= 0)
                    {
                        _log.Add(Encoding.UTF8.GetString(bytes, 0, end).Split('\n'));
                    }
                }
            }

            return [.. _log.Operations];
        }
    }
}

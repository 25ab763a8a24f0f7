namespace ShelfAgent.Config;

/// <summary><c>Buffer</c>: the SQLite store-and-forward outbox.</summary>
public sealed class BufferOptions
{
    /// <summary><c>Buffer:Path</c>: the SQLite file.</summary>
    public string Path { get; set; } = "/var/lib/shelf-agent/outbox.db";

    /// <summary><c>Buffer:MaxBytes</c>: size at which the oldest telemetry is evicted (and counted).</summary>
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;
}

namespace ShelfAgent.Outbox;

/// <summary>SQLite <c>PRAGMA synchronous</c> for the WAL-mode outbox (docs/buffer.md, "Durability").</summary>
public enum OutboxSynchronous
{
    /// <summary>fsync the WAL at every commit: a committed reading survives a power cut. The default.</summary>
    Full,
    /// <summary>fsync only at checkpoints: survives SIGKILL, but a power cut may lose the last commits.</summary>
    Normal,
}

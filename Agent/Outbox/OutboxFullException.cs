namespace ShelfAgent.Outbox;

/// <summary>
/// Nothing could be stored: the disk (or Buffer:MaxBytes) is full and no telemetry was left to evict.
/// The readings are counted as dropped; the caller logs and goes on.
/// </summary>
public sealed class OutboxFullException : IOException
{
    /// <summary>Creates the exception.</summary>
    public OutboxFullException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public OutboxFullException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public OutboxFullException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

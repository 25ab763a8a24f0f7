namespace ShelfAgent.Outbox;

/// <summary>The buffer file opened but is not a sound ShelfAgent outbox (failed <c>PRAGMA quick_check</c>, foreign file).</summary>
public sealed class OutboxCorruptException : IOException
{
    /// <summary>Creates the exception.</summary>
    public OutboxCorruptException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public OutboxCorruptException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public OutboxCorruptException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

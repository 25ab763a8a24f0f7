namespace ShelfAgent.LocalIot.Control;

/// <summary>No core answers for a state folder: no endpoint.json there, or nothing listens where it says.</summary>
public sealed class CoreNotRunningException : Exception
{
    public CoreNotRunningException()
    {
    }

    public CoreNotRunningException(string message)
        : base(message)
    {
    }

    public CoreNotRunningException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

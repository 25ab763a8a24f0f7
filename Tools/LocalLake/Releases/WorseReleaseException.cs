namespace ShelfAgent.LocalLake.Releases;

/// <summary>An approval refused because the release evaluated worse than the one in service and no override reason was written.</summary>
public sealed class WorseReleaseException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public WorseReleaseException()
    {
    }

    /// <summary>Creates the exception with the verdict and the figures.</summary>
    public WorseReleaseException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception (required by the exception pattern).</summary>
    public WorseReleaseException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

namespace ShelfAgent.Artifacts;

/// <summary>An artifact was refused or could not be fetched; <see cref="Failure"/> says which check, the message says what to do.</summary>
public sealed class ArtifactException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ArtifactException(ArtifactFailure failure, string message, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
    }

    /// <summary>Creates an exception for a download failure (required by the exception pattern).</summary>
    public ArtifactException()
        : this(ArtifactFailure.Download, "the artifact could not be fetched")
    {
    }

    /// <summary>Creates an exception for a download failure (required by the exception pattern).</summary>
    public ArtifactException(string message)
        : this(ArtifactFailure.Download, message)
    {
    }

    /// <summary>Creates an exception for a download failure (required by the exception pattern).</summary>
    public ArtifactException(string message, Exception inner)
        : this(ArtifactFailure.Download, message, inner)
    {
    }

    /// <summary>Which check refused the artifact.</summary>
    public ArtifactFailure Failure { get; }

    /// <summary>The failure as a short word for job status details: <c>download</c>, <c>too-large</c>, <c>hash</c>….</summary>
    public string Code => Failure switch
    {
        ArtifactFailure.TooLarge => "too-large",
        ArtifactFailure.SizeMismatch => "size",
        ArtifactFailure.HashMismatch => "hash",
        ArtifactFailure.UnknownKey => "unknown-key",
        ArtifactFailure.BadSignature => "signature",
        _ => "download",
    };
}

namespace ShelfAgent.Artifacts;

/// <summary>Why an artifact was not accepted; the job reports it as its reason.</summary>
public enum ArtifactFailure
{
    /// <summary>The server could not be reached or answered an error, after the retries.</summary>
    Download,
    /// <summary>The declared size is over the cap, or the server sent more than the declared size.</summary>
    TooLarge,
    /// <summary>The file downloaded is not the declared size.</summary>
    SizeMismatch,
    /// <summary>The file's SHA-256 is not the declared one.</summary>
    HashMismatch,
    /// <summary>The signature names a key that is not in the trusted keys (<c>Update:TrustedKeys</c>, <c>Profiles:TrustedKeys</c>).</summary>
    UnknownKey,
    /// <summary>The signature does not verify with the trusted key(s), or is malformed.</summary>
    BadSignature,
}

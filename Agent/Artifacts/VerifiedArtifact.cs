namespace ShelfAgent.Artifacts;

/// <summary>A downloaded file whose size, SHA-256 and signature were checked.</summary>
/// <param name="Path">The file.</param>
/// <param name="KeyId">The trusted key that signed it.</param>
public sealed record VerifiedArtifact(string Path, string KeyId);

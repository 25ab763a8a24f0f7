namespace ShelfAgent.Artifacts;

/// <summary>
/// What a job says about a file to fetch: where it is, how big, its SHA-256 and a signature made with a key the device
/// trusts (<c>Update:TrustedKeys</c>, <c>Profiles:TrustedKeys</c>). Plain data; <see cref="ArtifactFetcher"/> downloads and checks it.
/// </summary>
/// <param name="Url">An https:// URL (typically a pre-signed S3 GET URL; it carries credentials, so it is never logged).</param>
/// <param name="Size">The exact size in bytes.</param>
/// <param name="Sha256">The SHA-256 of the file, 64 hex digits.</param>
/// <param name="Signature">Base64 of an ECDSA P-256 signature over the file with SHA-256 (DER as openssl and KMS make it, or the 64-byte r‖s form).</param>
/// <param name="KeyId">The id of the signing key (<see cref="TrustedKey.Id"/>), or null to try every trusted key.</param>
public sealed record ArtifactSpec(Uri Url, long Size, string Sha256, string Signature, string? KeyId);

using System.Security.Cryptography;

namespace ShelfAgent.Artifacts;

/// <summary>
/// Checks a downloaded file against its <see cref="ArtifactSpec"/>: the size, the SHA-256, then the signature over that
/// SHA-256 with the trusted keys. A file that fails any check is deleted, so the next attempt downloads it again instead
/// of resuming a bad file.
/// </summary>
public static class ArtifactVerifier
{
    /// <summary>Verifies <paramref name="path"/>; returns the id of the key that signed it.</summary>
    /// <exception cref="ArtifactException">Which check failed and why.</exception>
    public static async Task<string> VerifyAsync(string path, ArtifactSpec spec, TrustedKeySet keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(keys);
        try
        {
            var length = new FileInfo(path).Length;
            if (length != spec.Size)
            {
                throw new ArtifactException(ArtifactFailure.SizeMismatch, $"the file is {length} bytes, not the declared {spec.Size}");
            }

            byte[] digest;
            var stream = File.OpenRead(path);
            await using (stream.ConfigureAwait(false))
            {
                digest = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
            }

            var actual = Convert.ToHexStringLower(digest);
            if (!string.Equals(actual, spec.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArtifactException(ArtifactFailure.HashMismatch, $"the file's SHA-256 is {actual}, not the declared {spec.Sha256.ToLowerInvariant()}");
            }

            return keys.Verify(digest, spec.Signature, spec.KeyId);
        }
        catch (ArtifactException)
        {
            File.Delete(path);
            throw;
        }
    }
}

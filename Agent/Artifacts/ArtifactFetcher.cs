namespace ShelfAgent.Artifacts;

/// <summary>
/// Download and verification in one call, the way every job that fetches a file uses them (<c>agent-update</c>,
/// <c>profiles-update</c>): the file is named by its SHA-256 inside <paramref name="directory"/>, so a restart resumes
/// the same download and two jobs never share a partial file.
/// </summary>
/// <param name="downloader">The HTTPS downloader.</param>
/// <param name="keys">The trusted keys (<c>Update:TrustedKeys</c> or <c>Profiles:TrustedKeys</c>).</param>
/// <param name="directory">The state folder for downloads (under /var/lib/shelf-agent on a device).</param>
/// <param name="maxBytes">The size cap.</param>
public sealed class ArtifactFetcher(ArtifactDownloader downloader, TrustedKeySet keys, string directory, long maxBytes)
{
    /// <summary>Where <paramref name="spec"/> is (or will be) stored.</summary>
    public string PathOf(ArtifactSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Path.Combine(directory, spec.Sha256.ToLowerInvariant() + ".artifact");
    }

    /// <summary>Downloads (or resumes) and verifies; returns the verified file. The caller deletes it when done.</summary>
    /// <exception cref="ArtifactException">Refused or not fetched, with the reason.</exception>
    public async Task<VerifiedArtifact> FetchAsync(ArtifactSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Sha256.Length != 64 || !spec.Sha256.All(char.IsAsciiHexDigit))
        {
            throw new ArtifactException(ArtifactFailure.HashMismatch, "the declared SHA-256 is not 64 hex digits");
        }

        var path = PathOf(spec);
        await downloader.DownloadAsync(spec, path, maxBytes, cancellationToken).ConfigureAwait(false);
        var keyId = await ArtifactVerifier.VerifyAsync(path, spec, keys, cancellationToken).ConfigureAwait(false);
        return new VerifiedArtifact(path, keyId);
    }
}

using ShelfAgent.Artifacts;

namespace ShelfAgent.Config;

/// <summary>
/// <c>Profiles</c>: how the agent accepts a profile release from a <c>profiles-update</c> job (docs/jobs.md, docs/models.md).
/// A key set of its own: the key that signs demand profiles is not the key that signs the agent's code.
/// </summary>
public sealed class ProfilesOptions
{
    /// <summary>The option's name, as refusals and <c>doctor</c> name it.</summary>
    public const string TrustedKeysKey = "Profiles:TrustedKeys";

    /// <summary>
    /// A profile release is one store's profiles: ~3 KB per slot as JSON, so 16 MiB holds some 5,000 slots; a larger file
    /// is refused before a byte is fetched (a device holds its own store's file in memory while it checks it).
    /// </summary>
    public const long MaxDownloadBytes = 16L * 1024 * 1024;

    /// <summary>
    /// <c>Profiles:TrustedKeys</c>: the public keys that sign profile releases (ECDSA P-256, PEM or base64 DER, the same
    /// formats as <c>Update:TrustedKeys</c>; in AWS the KMS key <c>alias/shelf-profiles</c>). Empty: every
    /// <c>profiles-update</c> job is REJECTED.
    /// </summary>
    public List<string> TrustedKeys { get; set; } = [];

    /// <summary>The keys parsed (valid entries only; <see cref="Validate"/> names the others).</summary>
    public TrustedKeySet Keys() => TrustedKeySet.Parse(TrustedKeys, TrustedKeysKey, out _);

    /// <summary>Checks the keys with the one key validator.</summary>
    public IEnumerable<(string Key, string Message)> Validate()
    {
        TrustedKeySet.Parse(TrustedKeys, TrustedKeysKey, out var problems);
        return problems;
    }
}

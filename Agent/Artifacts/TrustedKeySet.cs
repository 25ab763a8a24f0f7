namespace ShelfAgent.Artifacts;

/// <summary>
/// The keys of one key option — <c>Update:TrustedKeys</c> (agent-update) or <c>Profiles:TrustedKeys</c> (profiles-update) —
/// and the one signature check against them. A job may name the key that signed (<see cref="ArtifactSpec.KeyId"/>); a name
/// not in the set is refused as an unknown key, so an operator sees a rotation that has not reached the device yet rather
/// than a "bad signature".
/// </summary>
public sealed class TrustedKeySet
{
    /// <summary>The option agent-update's keys come from (the default <see cref="Option"/>).</summary>
    public const string UpdateKeys = "Update:TrustedKeys";

    private readonly IReadOnlyList<TrustedKey> _keys;

    /// <summary>Creates the set.</summary>
    /// <param name="keys">The keys.</param>
    /// <param name="option">The option they come from, named in refusals.</param>
    public TrustedKeySet(IEnumerable<TrustedKey> keys, string option = UpdateKeys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentException.ThrowIfNullOrEmpty(option);
        _keys = [.. keys];
        Option = option;
    }

    /// <summary>The option the keys come from (<c>Update:TrustedKeys</c>, <c>Profiles:TrustedKeys</c>), named in every refusal.</summary>
    public string Option { get; }

    /// <summary>The keys' ids, in configuration order.</summary>
    public IReadOnlyList<string> Ids => [.. _keys.Select(k => k.Id)];

    /// <summary>
    /// Reads <c>Update:TrustedKeys</c>; every entry that is not a usable key is a problem naming its position
    /// (<c>Update:TrustedKeys:1</c>). The one validator of the option.
    /// </summary>
    public static TrustedKeySet Parse(IEnumerable<string> entries, out IReadOnlyList<(string Key, string Message)> problems)
        => Parse(entries, UpdateKeys, out problems);

    /// <summary>
    /// Reads the key option <paramref name="option"/> (e.g. <c>Profiles:TrustedKeys</c>) with the same rules; problems name
    /// <c>&lt;option&gt;:&lt;position&gt;</c>. The one validator of every key option.
    /// </summary>
    public static TrustedKeySet Parse(IEnumerable<string> entries, string option, out IReadOnlyList<(string Key, string Message)> problems)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var keys = new List<TrustedKey>();
        var found = new List<(string Key, string Message)>();
        var index = 0;
        foreach (var entry in entries)
        {
            if (TrustedKey.TryParse(entry, out var key, out var problem))
            {
                keys.Add(key!);
            }
            else
            {
                found.Add(($"{option}:{index}", problem!));
            }

            index++;
        }

        problems = found;
        return new TrustedKeySet(keys, option);
    }

    /// <summary>Checks the base64 <paramref name="signature"/> over the SHA-256 <paramref name="digest"/>; returns the signing key's id.</summary>
    /// <exception cref="ArtifactException"><see cref="ArtifactFailure.UnknownKey"/> or <see cref="ArtifactFailure.BadSignature"/>.</exception>
    public string Verify(ReadOnlySpan<byte> digest, string signature, string? keyId)
    {
        if (_keys.Count == 0)
        {
            throw new ArtifactException(
                ArtifactFailure.UnknownKey, $"no key is trusted: {Option} in agent.json is empty, so nothing signed can be verified");
        }

        var candidates = keyId is null ? _keys : [.. _keys.Where(k => string.Equals(k.Id, keyId, StringComparison.OrdinalIgnoreCase))];
        if (candidates.Count == 0)
        {
            throw new ArtifactException(
                ArtifactFailure.UnknownKey,
                $"the artifact is signed with key {keyId}, which is not in {Option} (trusted: {string.Join(", ", Ids)})");
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            throw new ArtifactException(ArtifactFailure.BadSignature, "the signature is not base64");
        }

        foreach (var key in candidates)
        {
            if (key.Verifies(digest, bytes))
            {
                return key.Id;
            }
        }

        throw new ArtifactException(
            ArtifactFailure.BadSignature,
            keyId is null
                ? $"the signature does not verify with any key in {Option} ({string.Join(", ", Ids)})"
                : $"the signature does not verify with key {keyId}");
    }
}

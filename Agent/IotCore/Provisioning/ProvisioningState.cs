using ShelfAgent.Security;

namespace ShelfAgent.IotCore.Provisioning;

/// <summary>
/// What an unfinished <c>provision</c> run leaves behind so the next run continues where it stopped
/// (<c>provisioning.json</c>, 0600, beside the pending key in the certificate folder). Minimal: the pending key's kind,
/// the certificate AWS issued with its ownership token (it proves ownership for 1 h), the thing once registered, and
/// whether the identity was installed. Deleted when the run completes.
/// </summary>
public sealed record ProvisioningState
{
    /// <summary>Kind of the pending key (pending.key).</summary>
    public KeyKind KeyKind { get; init; }

    /// <summary>CreateCertificateFromCsr's answer, null before.</summary>
    public string? CertificateId { get; init; }

    /// <summary>The signed certificate for the pending key.</summary>
    public string? CertificatePem { get; init; }

    /// <summary>RegisterThing's proof of ownership (a credential: the file is 0600, never logged).</summary>
    public string? OwnershipToken { get; init; }

    /// <summary>When the token was received, to tell an expired one without asking AWS.</summary>
    public DateTimeOffset? TokenReceivedAt { get; init; }

    /// <summary>RegisterThing's thing name, null before.</summary>
    public string? ThingName { get; init; }

    /// <summary>True once the files and agent.json are in place; only clean-up is left.</summary>
    public bool Installed { get; init; }

    /// <summary>A state with a new pending key and nothing else.</summary>
    public static ProvisioningState ForNewKey(KeyKind kind) => new() { KeyKind = kind };

    /// <summary>This state with the certificate (and everything after it) forgotten, keeping the key.</summary>
    public ProvisioningState WithoutCertificate() => new() { KeyKind = KeyKind };
}

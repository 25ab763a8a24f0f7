namespace ShelfAgent.Tests.Integration.AwsIot;

/// <summary>Which policy a broker identity gets.</summary>
public enum IdentityKind
{
    /// <summary>The fixture's own service client: everything.</summary>
    Service,

    /// <summary>A fleet provisioning claim certificate: the claim policy.</summary>
    Claim,

    /// <summary>A certificate attached to a thing: the device policy for that thing.</summary>
    Thing,
}

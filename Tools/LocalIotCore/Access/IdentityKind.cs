namespace ShelfAgent.LocalIot.Access;

/// <summary>Which policy a broker identity gets.</summary>
public enum IdentityKind
{
    /// <summary>The core's own service client (and the control commands): everything.</summary>
    Service,

    /// <summary>A fleet provisioning claim certificate: the claim policy.</summary>
    Claim,

    /// <summary>A certificate attached to a thing: the device policy for that thing.</summary>
    Thing,

    /// <summary>
    /// A person's or a dashboard's subscriber (like the AWS console's MQTT test client): may subscribe to and receive
    /// every topic but the core's control topics, and publish nothing. No IoT policy applies to it.
    /// </summary>
    Observer,
}

namespace ShelfAgent.LocalIot.Registry;

/// <summary>AWS IoT certificate statuses the core uses (API reference "CertificateDescription").</summary>
public enum CertificateStatus
{
    /// <summary>Made by create-from-csr, waiting for RegisterThing ("Device provisioning MQTT API").</summary>
    PendingActivation,

    Active,

    Inactive,
}

namespace ShelfAgent.Tests.Integration.AwsIot;

/// <summary>AWS IoT certificate statuses the fixture uses (API reference "CertificateDescription").</summary>
public enum CertificateStatus
{
    /// <summary>Made by create-from-csr, waiting for RegisterThing ("Device provisioning MQTT API").</summary>
    PendingActivation,

    Active,

    Inactive,
}

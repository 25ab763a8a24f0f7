namespace ShelfAgent.Tests.Integration.AwsIot;

/// <summary>The ACL lines an identity gets in the broker.</summary>
public static class IdentityAccess
{
    public static IReadOnlyList<AclEntry> Entries(BrokerIdentity identity) => identity.Kind switch
    {
        // mosquitto's "#" does not match topics that start with "$" (MQTT 3.1.1 §4.7.2), so $aws/# is listed too.
        IdentityKind.Service => [new("readwrite", "#"), new("readwrite", "$aws/#")],
        IdentityKind.Claim => [new("readwrite", "$aws/certificates/#"), new("readwrite", "$aws/provisioning-templates/#")],
        _ => [new("readwrite", $"$aws/things/{identity.Thing!.Name}/#"), new("readwrite", $"dt/shelf/+/{identity.Thing.Name}/#")],
    };
}

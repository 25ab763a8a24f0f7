using ShelfAgent.Tests.Integration.AwsIot.Policy;

namespace ShelfAgent.Tests.Integration.AwsIot;

/// <summary>
/// The ACL lines each broker identity gets: the service everything; a claim certificate what the claim policy grants;
/// a thing's certificate what the device policy grants that thing (client id = thing name, its attributes).
/// </summary>
public sealed class IdentityAccess(IotPolicy devicePolicy, IotPolicy claimPolicy, string arnPrefix)
{
    public IReadOnlyList<AclEntry> Entries(BrokerIdentity identity) => identity.Kind switch
    {
        // mosquitto's "#" does not match topics that start with "$" (MQTT 3.1.1 §4.7.2), so $aws/# is listed too.
        IdentityKind.Service => [new("readwrite", "#"), new("readwrite", "$aws/#")],
        // A claim certificate is attached to no thing and its client id is not known in advance.
        IdentityKind.Claim => PolicyAcl.For(claimPolicy, ConnectionContext.Unattached(null), arnPrefix).Entries,
        _ => PolicyAcl.For(devicePolicy, ConnectionContext.ForThing(identity.Thing!.Name, identity.Thing.Attributes), arnPrefix).Entries,
    };
}

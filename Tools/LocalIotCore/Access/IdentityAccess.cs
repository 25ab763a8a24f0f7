using ShelfAgent.LocalIot.Broker;
using ShelfAgent.LocalIot.Control;
using ShelfAgent.LocalIot.Policy;

namespace ShelfAgent.LocalIot.Access;

/// <summary>
/// The ACL lines each broker identity gets: the service everything; an observer read access; a claim certificate what
/// the claim policy grants; a thing's certificate what the device policy grants that thing (client id = thing name,
/// its attributes).
/// </summary>
public sealed class IdentityAccess(IotPolicy devicePolicy, IotPolicy claimPolicy, string arnPrefix)
{
    public IReadOnlyList<AclEntry> Entries(BrokerIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return identity.Kind switch
        {
            // mosquitto's "#" does not match topics that start with "$" (MQTT 3.1.1 §4.7.2), so $aws/# is listed too.
            IdentityKind.Service => [new("readwrite", "#"), new("readwrite", "$aws/#"), new("readwrite", ControlTopics.Prefix + "#")],
            // "#" does not reach $ topics, so the control topics stay out of an observer's sight.
            // Nobody receives Basic Ingest messages on AWS IoT (developer guide, "Reducing messaging costs with Basic Ingest"):
            // an observer reads them where the rule's stand-in republishes them.
            IdentityKind.Observer => [new("deny", Rules.BasicIngest.Prefix + "#"), new("read", "#"), new("read", "$aws/#")],
            // A claim certificate is attached to no thing and its client id is not known in advance.
            IdentityKind.Claim => PolicyAcl.For(claimPolicy, ConnectionContext.Unattached(null), arnPrefix).Entries,
            _ => PolicyAcl.For(devicePolicy, ConnectionContext.ForThing(identity.Thing!.Name, identity.Thing.Attributes), arnPrefix).Entries,
        };
    }
}

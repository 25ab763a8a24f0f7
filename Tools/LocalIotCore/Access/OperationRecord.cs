using ShelfAgent.LocalIot.Broker;
using ShelfAgent.LocalIot.Policy;
using ShelfAgent.LocalIot.Registry;

namespace ShelfAgent.LocalIot.Access;

/// <summary>
/// What the broker saw every client do (its debug log, followed) and what AWS IoT would know about each connection:
/// the operations, the policy of the identity that did one, its connection's policy variables. The service's own
/// connections are left out.
/// </summary>
internal sealed class OperationRecord(MosquittoLogFollower log, IotRegistry registry, BrokerAcl acl, IotPolicy devicePolicy, IotPolicy claimPolicy)
{
    public IReadOnlyList<MqttOperation> Operations() => [.. log.Read().Where(o => o.Username != LocalIotCore.ServiceIdentity)];

    /// <summary>The policy of the identity that did <paramref name="operation"/> (by certificate CN), or null for the service and observers.</summary>
    public IotPolicy? PolicyOf(MqttOperation operation) => acl.KindOf(operation.Username) switch
    {
        IdentityKind.Claim => claimPolicy,
        IdentityKind.Service or IdentityKind.Observer => null,
        _ => devicePolicy,
    };

    /// <summary>The client id and the thing the certificate (by CN, the broker's user name) is attached to.</summary>
    public ConnectionContext ConnectionOf(MqttOperation operation)
    {
        var certificate = registry.Certificates().LastOrDefault(c => c.CommonName == operation.Username && c.Status == CertificateStatus.Active);
        var thing = certificate?.Thing is { } name ? registry.Thing(name) : null;
        return new ConnectionContext(operation.ClientId, thing?.Name, thing?.Attributes ?? new Dictionary<string, string>(), thing is not null);
    }

    /// <summary>Waits (bounded) until the operations satisfy <paramref name="done"/>; false at the bound.</summary>
    public async Task<bool> WaitAsync(Func<IReadOnlyList<MqttOperation>, bool> done, TimeSpan bound, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(bound);
        try
        {
            while (!done(Operations()))
            {
                await Task.Delay(100, cts.Token).ConfigureAwait(false);
            }

            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}

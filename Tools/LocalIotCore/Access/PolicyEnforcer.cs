using ShelfAgent.LocalIot.Broker;
using ShelfAgent.LocalIot.Policy;

namespace ShelfAgent.LocalIot.Access;

/// <summary>
/// What mosquitto's ACL cannot say: iot:Connect (the client id) and iot:RetainPublish (the retain flag). Follows the
/// broker's log; a CONNECT, will or retained PUBLISH the identity's policy refuses is recorded in
/// <see cref="Refusals"/> and the client is disconnected, as AWS IoT Core does, by taking over its client id with
/// the service certificate (MQTT 5 §3.1.4: the broker closes the existing connection, reason 0x8E); a refused
/// retained message (a retained will too) is cleared again.
/// </summary>
public sealed class PolicyEnforcer(LocalIotCore core, IssuedIdentity service)
{
    private readonly Lock _gate = new();
    private readonly List<ContractViolation> _refusals = [];
    private int _seen;

    public IReadOnlyList<ContractViolation> Refusals
    {
        get
        {
            lock (_gate)
            {
                return [.. _refusals];
            }
        }
    }

    /// <summary>Checks the log every 50 ms until cancelled; a failed check is reported and the next one goes on.</summary>
    public async Task RunAsync(Action<Exception> fault, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await CheckAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                fault(e);
            }
        }
    }

    /// <summary>Checks the operations logged since the last call and acts on refused ones.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var operations = core.Operations();
        var fresh = operations.Skip(_seen).ToList();
        _seen = operations.Count;
        foreach (var operation in fresh)
        {
            if (operation.Kind is not (MqttOperationKind.Connect or MqttOperationKind.Will)
                && !(operation.Kind == MqttOperationKind.Publish && operation.Retain))
            {
                continue;
            }

            if (core.PolicyOf(operation) is not { } policy)
            {
                continue;
            }

            var context = core.ConnectionOf(operation);
            var refused = IotActions.Required(operation, LocalIotCoreOptions.ArnPrefix)
                .Where(r => r.Action is IotActions.Connect or IotActions.RetainPublish)
                .Select(r => (r, PolicyEvaluator.Evaluate(policy, r.Action, r.Resource, context).Decision))
                .Where(x => x.Decision != PolicyDecision.Allowed)
                .Select(x => new ContractViolation(operation, x.r.Action, x.r.Resource, x.Decision))
                .ToList();
            if (refused.Count == 0)
            {
                continue;
            }

            lock (_gate)
            {
                _refusals.AddRange(refused);
            }

            core.Report($"refused {string.Join(", ", refused.Select(r => r.Action))} to {operation}: disconnecting it");
            var takeover = await MqttTestClient.ConnectAsync(
                core.Host, core.Port, core.CaFile, service.CertFile, service.KeyFile, operation.ClientId, cancellationToken).ConfigureAwait(false);
            await using (takeover.ConfigureAwait(false))
            {
                // An empty retained payload deletes the retained message (MQTT 5 §3.3.1.3); the closed connection's will
                // has gone out before the takeover's CONNACK, so this comes after it.
                if (operation.Retain)
                {
                    await takeover.PublishAsync(operation.Topic, "", cancellationToken, retain: true).ConfigureAwait(false);
                }
            }
        }
    }
}

using ShelfAgent.LocalIot.Broker;

namespace ShelfAgent.LocalIot.Policy;

/// <summary>An operation the policy would refuse: which action on which resource, and how (implicit or explicit deny).</summary>
public sealed record ContractViolation(MqttOperation Operation, string Action, string Resource, PolicyDecision Decision)
{
    public override string ToString() => $"{Operation}: {Action} on {Resource} → {Decision}";
}

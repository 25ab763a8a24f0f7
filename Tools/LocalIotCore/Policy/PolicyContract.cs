using ShelfAgent.LocalIot.Broker;

namespace ShelfAgent.LocalIot.Policy;

/// <summary>
/// The policy contract (issue 14): every operation a client performed — CONNECT with its client id, each PUBLISH
/// and the will with its retain flag, each SUBSCRIBE filter, each delivery — evaluated against the policy with the
/// connection's variables substituted. Reports each refused operation, and each grant of the policy that no
/// operation used. Pure: operations and policy in, report out.
/// </summary>
public static class PolicyContract
{
    public static ContractReport Check(
        IEnumerable<MqttOperation> operations, IotPolicy policy, Func<MqttOperation, ConnectionContext> connection, string arnPrefix)
    {
        var violations = new List<ContractViolation>();
        var used = new HashSet<PolicyGrant>();
        foreach (var operation in operations)
        {
            var context = connection(operation);
            foreach (var (action, resource) in IotActions.Required(operation, arnPrefix))
            {
                var evaluation = PolicyEvaluator.Evaluate(policy, action, resource, context);
                if (evaluation.Decision != PolicyDecision.Allowed)
                {
                    violations.Add(new ContractViolation(operation, action, resource, evaluation.Decision));
                }

                used.UnionWith(evaluation.AllowedBy);
            }
        }

        var grants = policy.Grants();
        return new ContractReport([.. violations.Distinct()], [.. grants.Where(used.Contains)], [.. grants.Where(g => !used.Contains(g))]);
    }
}

namespace ShelfAgent.LocalIot.Policy;

/// <summary>
/// Evaluates an IoT policy for one action on one resource ARN for one connection (IAM "Policy evaluation logic"):
/// a statement applies when an Action pattern matches the action (case-insensitive), a Resource pattern matches the
/// ARN once its policy variables are substituted (case-sensitive), and its Condition holds. Any applying Deny →
/// <see cref="PolicyDecision.ExplicitDeny"/>; else any applying Allow → allowed; else implicit deny. Pure.
/// </summary>
public static class PolicyEvaluator
{
    public static PolicyEvaluation Evaluate(IotPolicy policy, string action, string resourceArn, ConnectionContext connection)
    {
        var value = PolicyVariables.Literal.Escape(resourceArn);
        var allowedBy = new List<PolicyGrant>();
        foreach (var statement in policy.Statements)
        {
            var actions = statement.Actions.Where(a => PolicyWildcard.Matches(a, action, ignoreCase: true)).ToList();
            if (actions.Count == 0 || !PolicyConditions.Hold(statement.Condition, connection))
            {
                continue;
            }

            var resources = statement.Resources
                .Where(r => PolicyVariables.Substitute(r, connection) is { } pattern && PolicyWildcard.Matches(pattern, value))
                .ToList();
            if (resources.Count == 0)
            {
                continue;
            }

            if (statement.Effect == PolicyEffect.Deny)
            {
                return new PolicyEvaluation(PolicyDecision.ExplicitDeny, []);
            }

            allowedBy.AddRange(actions.SelectMany(a => resources.Select(r => new PolicyGrant(statement.Policy, statement.Index, a, r))));
        }

        return new PolicyEvaluation(allowedBy.Count > 0 ? PolicyDecision.Allowed : PolicyDecision.ImplicitDeny, allowedBy);
    }
}

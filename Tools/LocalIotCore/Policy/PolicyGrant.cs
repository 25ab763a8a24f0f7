namespace ShelfAgent.LocalIot.Policy;

/// <summary>One (action, resource) pair an Allow statement grants: the unit of "a grant the agent never uses".</summary>
public sealed record PolicyGrant(string Policy, int Statement, string Action, string Resource)
{
    public override string ToString() => $"{Policy}: {Action} {Resource}";
}

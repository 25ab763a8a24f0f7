namespace ShelfAgent.LocalIot.Policy;

/// <summary>The decision for one request and the grants that allowed it (empty unless allowed).</summary>
public sealed record PolicyEvaluation(PolicyDecision Decision, IReadOnlyList<PolicyGrant> AllowedBy);

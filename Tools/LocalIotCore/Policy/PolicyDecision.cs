namespace ShelfAgent.LocalIot.Policy;

/// <summary>IAM evaluation logic: an explicit Deny wins over any Allow; nothing matching is an implicit deny.</summary>
public enum PolicyDecision
{
    Allowed,
    ImplicitDeny,
    ExplicitDeny,
}

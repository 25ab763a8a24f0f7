namespace ShelfAgent.LocalIot.Policy;

/// <summary>A statement's Effect.</summary>
public enum PolicyEffect
{
    Allow,
    Deny,
}

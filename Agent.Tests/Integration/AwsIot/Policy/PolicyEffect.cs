namespace ShelfAgent.Tests.Integration.AwsIot.Policy;

/// <summary>A statement's Effect.</summary>
public enum PolicyEffect
{
    Allow,
    Deny,
}

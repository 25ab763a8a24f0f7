namespace ShelfAgent.LocalIot.Policy;

/// <summary>What a client did, held against its policy: what was refused, which grants were used, which never.</summary>
public sealed record ContractReport(IReadOnlyList<ContractViolation> Violations, IReadOnlyList<PolicyGrant> Used, IReadOnlyList<PolicyGrant> Unused)
{
    /// <summary>A readable account for a failing assertion.</summary>
    public string Describe() =>
        $"denied ({Violations.Count}):\n  {string.Join("\n  ", Violations)}\nunused grants ({Unused.Count}):\n  {string.Join("\n  ", Unused)}";
}

namespace ShelfAgent.Tests.Integration.Policies;

/// <summary>
/// The scenarios of the policy contract test (AgentPolicyContractTests): each runs the real shelf-agent the way a
/// feature of issue 14 runs it and proves the grants <see cref="PolicyGrantScenarios"/> assigns to it are used.
/// </summary>
public enum ContractScenario
{
    /// <summary><c>shelf-agent run</c>: connect, telemetry and events, the retained status and will.</summary>
    Run,

    /// <summary><c>shelf-agent provision</c> with a claim certificate, then the new identity's test connection.</summary>
    Provision,

    /// <summary><c>shelf-agent run</c> with <c>Shadow:Enabled</c>: get, a desired delta applied, reported back.</summary>
    Shadow,

    /// <summary><c>shelf-agent run</c> taking config-update, report-diagnostics and rotate-certificate jobs.</summary>
    Jobs,
}

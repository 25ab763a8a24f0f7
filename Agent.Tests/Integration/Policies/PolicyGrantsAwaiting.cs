using ShelfAgent.LocalIot.Policy;


namespace ShelfAgent.Tests.Integration.Policies;

/// <summary>
/// Grants of Cloud's device policies that no scenario of the policy contract test can prove used, each with the
/// reason (a feature not built yet, or a path this machine cannot reach). Empty: since jobs and rotation landed, the
/// run, provision, shadow and jobs scenarios use every grant (<see cref="PolicyGrantScenarios"/>);
/// PolicyGrantScenariosTests checks the two lists together cover the policies exactly. A grant here would never hide
/// a denied operation: denials fail regardless.
/// </summary>
public static class PolicyGrantsAwaiting
{
    /// <summary>Grant → why no scenario uses it.</summary>
    public static IReadOnlyDictionary<PolicyGrant, string> Device() => new Dictionary<PolicyGrant, string>();
}

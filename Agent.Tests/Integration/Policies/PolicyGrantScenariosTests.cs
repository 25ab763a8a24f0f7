using ShelfAgent.LocalIot;

namespace ShelfAgent.Tests.Integration.Policies;

/// <summary>
/// The "grant never used" half of the policy contract test over all its scenarios: every grant of Cloud's policies is
/// assigned to exactly one scenario (which asserts the real agent used it) or awaits a feature with a written reason.
/// </summary>
public sealed class PolicyGrantScenariosTests
{
    private static readonly LocalIotCoreOptions Defaults = new();

    [Fact]
    public void Every_device_policy_grant_is_proved_used_by_one_scenario_or_awaits_with_a_reason()
    {
        var scenarios = PolicyGrantScenarios.Device(Defaults.RotationTemplate);
        var awaiting = PolicyGrantsAwaiting.Device();
        var grants = Defaults.ParseDevicePolicy().Grants();

        Assert.Empty(scenarios.Keys.Intersect(awaiting.Keys));
        Assert.All(awaiting.Values, reason => Assert.False(string.IsNullOrWhiteSpace(reason)));
        Assert.True(grants.ToHashSet().SetEquals(scenarios.Keys.Concat(awaiting.Keys)),
            "granted, no scenario uses it (use it, or remove it from Cloud's policy): " +
            $"{string.Join("; ", grants.Except(scenarios.Keys).Except(awaiting.Keys))}\n" +
            $"listed, the policy does not grant it: {string.Join("; ", scenarios.Keys.Concat(awaiting.Keys).Except(grants))}");
    }

    [Fact]
    public void Every_claim_policy_grant_is_proved_used_by_the_provision_scenario()
    {
        var scenarios = PolicyGrantScenarios.Claim(Defaults.ProvisioningTemplate);
        var grants = Defaults.ParseClaimPolicy().Grants();

        Assert.True(grants.ToHashSet().SetEquals(scenarios.Keys),
            $"granted, no scenario uses it: {string.Join("; ", grants.Except(scenarios.Keys))}\n" +
            $"listed, not granted: {string.Join("; ", scenarios.Keys.Except(grants))}");
    }
}

using ShelfAgent.Cloud;
using ShelfAgent.LocalIot;
using ShelfAgent.LocalIot.Policy;

namespace ShelfAgent.Tests.Integration.Policies;

/// <summary>
/// Which scenario of the policy contract test proves each grant of Cloud's policies used. "A grant the agent never
/// uses" is judged on the union of the scenarios: every grant is here (or in <see cref="PolicyGrantsAwaiting"/> with a
/// reason), which PolicyGrantScenariosTests checks against the policies themselves, and each scenario asserts that
/// the real agent used every grant assigned to it. A grant Cloud adds fails the first until a scenario takes it; a
/// grant a scenario stops using fails that scenario.
/// </summary>
public static class PolicyGrantScenarios
{
    private const string Arn = LocalIotCoreOptions.ArnPrefix;
    private const string Thing = "${iot:Connection.Thing.ThingName}";
    private const string Shadow = "$aws/things/" + Thing + "/shadow";
    private const string Jobs = "$aws/things/" + Thing + "/jobs";
    private const string Csr = "$aws/certificates/create-from-csr/json";

    /// <summary>The grants of ShelfAgentDevice + ShelfAgentDeviceOps (every device certificate has both).</summary>
    public static IReadOnlyDictionary<PolicyGrant, ContractScenario> Device(string rotationTemplate)
    {
        var rotation = $"$aws/provisioning-templates/{rotationTemplate}/provision/json";
        return new Dictionary<PolicyGrant, ContractScenario>
        {
            [new("ShelfAgentDevice", 0, "iot:Connect", $"{Arn}:client/{Thing}")] = ContractScenario.Run,
            [new("ShelfAgentDevice", 1, "iot:Publish", $"{Arn}:topic/{Topics.OwnSubtree}")] = ContractScenario.Run,
            // Telemetry through Basic Ingest (Publish:BasicIngestRule, on by default).
            [new("ShelfAgentDevice", 1, "iot:Publish", $"{Arn}:topic/{Topics.OwnTelemetryBasicIngest(LocalIotCoreOptions.DefaultBasicIngestRule)}")] =
                ContractScenario.Run,
            [new("ShelfAgentDevice", 2, "iot:RetainPublish", $"{Arn}:topic/{Topics.OwnStatus}")] = ContractScenario.Run,
            [new("ShelfAgentDevice", 1, "iot:Publish", $"{Arn}:topic/{Shadow}/update")] = ContractScenario.Shadow,
            [new("ShelfAgentDevice", 1, "iot:Publish", $"{Arn}:topic/{Shadow}/get")] = ContractScenario.Shadow,
            [new("ShelfAgentDevice", 3, "iot:Subscribe", $"{Arn}:topicfilter/{Shadow}/update/*")] = ContractScenario.Shadow,
            [new("ShelfAgentDevice", 3, "iot:Subscribe", $"{Arn}:topicfilter/{Shadow}/get/*")] = ContractScenario.Shadow,
            [new("ShelfAgentDevice", 4, "iot:Receive", $"{Arn}:topic/{Shadow}/update/*")] = ContractScenario.Shadow,
            [new("ShelfAgentDevice", 4, "iot:Receive", $"{Arn}:topic/{Shadow}/get/*")] = ContractScenario.Shadow,
            // The jobs client asks for work at every connect (docs/jobs.md): start-next and its reply, notify-next.
            [new("ShelfAgentDeviceOps", 0, "iot:Publish", $"{Arn}:topic/{Jobs}/start-next")] = ContractScenario.Run,
            [new("ShelfAgentDeviceOps", 1, "iot:Subscribe", $"{Arn}:topicfilter/{Jobs}/notify-next")] = ContractScenario.Run,
            [new("ShelfAgentDeviceOps", 1, "iot:Subscribe", $"{Arn}:topicfilter/{Jobs}/start-next/*")] = ContractScenario.Run,
            [new("ShelfAgentDeviceOps", 2, "iot:Receive", $"{Arn}:topic/{Jobs}/start-next/*")] = ContractScenario.Run,
            // A job queued: notify-next delivered, {jobId}/update; rotate-certificate: create-from-csr and the rotation template.
            [new("ShelfAgentDeviceOps", 0, "iot:Publish", $"{Arn}:topic/{Jobs}/*/update")] = ContractScenario.Jobs,
            [new("ShelfAgentDeviceOps", 0, "iot:Publish", $"{Arn}:topic/{Csr}")] = ContractScenario.Jobs,
            [new("ShelfAgentDeviceOps", 0, "iot:Publish", $"{Arn}:topic/{rotation}")] = ContractScenario.Jobs,
            [new("ShelfAgentDeviceOps", 1, "iot:Subscribe", $"{Arn}:topicfilter/{Jobs}/*/update/*")] = ContractScenario.Jobs,
            [new("ShelfAgentDeviceOps", 1, "iot:Subscribe", $"{Arn}:topicfilter/{Csr}/*")] = ContractScenario.Jobs,
            [new("ShelfAgentDeviceOps", 1, "iot:Subscribe", $"{Arn}:topicfilter/{rotation}/*")] = ContractScenario.Jobs,
            [new("ShelfAgentDeviceOps", 2, "iot:Receive", $"{Arn}:topic/{Jobs}/notify-next")] = ContractScenario.Jobs,
            [new("ShelfAgentDeviceOps", 2, "iot:Receive", $"{Arn}:topic/{Jobs}/*/update/*")] = ContractScenario.Jobs,
            [new("ShelfAgentDeviceOps", 2, "iot:Receive", $"{Arn}:topic/{Csr}/*")] = ContractScenario.Jobs,
            [new("ShelfAgentDeviceOps", 2, "iot:Receive", $"{Arn}:topic/{rotation}/*")] = ContractScenario.Jobs,
        };
    }

    /// <summary>The grants of ShelfAgentClaim for <paramref name="template"/>.</summary>
    public static IReadOnlyDictionary<PolicyGrant, ContractScenario> Claim(string template)
    {
        var provision = $"$aws/provisioning-templates/{template}/provision/json";
        return new Dictionary<PolicyGrant, ContractScenario>
        {
            [new("ShelfAgentClaim", 0, "iot:Connect", $"{Arn}:client/provision-*")] = ContractScenario.Provision,
            [new("ShelfAgentClaim", 1, "iot:Publish", $"{Arn}:topic/{Csr}")] = ContractScenario.Provision,
            [new("ShelfAgentClaim", 1, "iot:Publish", $"{Arn}:topic/{provision}")] = ContractScenario.Provision,
            [new("ShelfAgentClaim", 2, "iot:Subscribe", $"{Arn}:topicfilter/{Csr}/*")] = ContractScenario.Provision,
            [new("ShelfAgentClaim", 2, "iot:Subscribe", $"{Arn}:topicfilter/{provision}/*")] = ContractScenario.Provision,
            [new("ShelfAgentClaim", 3, "iot:Receive", $"{Arn}:topic/{Csr}/*")] = ContractScenario.Provision,
            [new("ShelfAgentClaim", 3, "iot:Receive", $"{Arn}:topic/{provision}/*")] = ContractScenario.Provision,
        };
    }

    /// <summary>
    /// Fails unless <paramref name="report"/> (one scenario's operations held against one policy) has no refused
    /// operation and used every grant <paramref name="table"/> assigns to <paramref name="scenario"/>.
    /// </summary>
    public static void AssertHolds(ContractReport report, IReadOnlyDictionary<PolicyGrant, ContractScenario> table, ContractScenario scenario)
    {
        Assert.True(report.Violations.Count == 0, $"{scenario}: " + report.Describe());
        var missing = table.Where(g => g.Value == scenario && !report.Used.Contains(g.Key)).Select(g => g.Key.ToString()).ToList();
        Assert.True(missing.Count == 0,
            $"{scenario} no longer uses grants it is named for in PolicyGrantScenarios "
            + "(remove them from the policy, or give them to the scenario that uses them):\n  "
            + string.Join("\n  ", missing));
    }
}

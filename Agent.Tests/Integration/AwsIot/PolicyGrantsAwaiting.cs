using ShelfAgent.Tests.Integration.AwsIot.Policy;

namespace ShelfAgent.Tests.Integration.AwsIot;

/// <summary>
/// Grants of Cloud's device policies that no scenario of the policy contract test proves used yet, each with the
/// reason: the feature that will use them (jobs, rotate-certificate: their scenario comes with the jobs branch) or why
/// no scenario can reach them here. Every other grant is in <see cref="PolicyGrantScenarios"/>; PolicyGrantScenariosTests
/// checks the two together cover the policies exactly. A grant here never hides a denied operation: denials fail
/// regardless.
/// </summary>
public static class PolicyGrantsAwaiting
{
    private const string Arn = LocalIotCoreOptions.ArnPrefix;
    private const string Thing = "${iot:Connection.Thing.ThingName}";
    private const string Jobs = "$aws/things/" + Thing + "/jobs";

    public static IReadOnlyDictionary<PolicyGrant, string> Device(string rotationTemplate)
    {
        var rotation = $"$aws/provisioning-templates/{rotationTemplate}/provision/json";
        const string Csr = "$aws/certificates/create-from-csr/json";
        return new Dictionary<PolicyGrant, string>
        {
            [new("ShelfAgentDeviceOps", 0, "iot:Publish", $"{Arn}:topic/{Jobs}/start-next")] = "jobs",
            [new("ShelfAgentDeviceOps", 0, "iot:Publish", $"{Arn}:topic/{Jobs}/*/update")] = "jobs",
            [new("ShelfAgentDeviceOps", 0, "iot:Publish", $"{Arn}:topic/{Csr}")] = "rotate-certificate",
            [new("ShelfAgentDeviceOps", 0, "iot:Publish", $"{Arn}:topic/{rotation}")] = "rotate-certificate",
            [new("ShelfAgentDeviceOps", 1, "iot:Subscribe", $"{Arn}:topicfilter/{Jobs}/notify-next")] = "jobs",
            [new("ShelfAgentDeviceOps", 1, "iot:Subscribe", $"{Arn}:topicfilter/{Jobs}/start-next/*")] = "jobs",
            [new("ShelfAgentDeviceOps", 1, "iot:Subscribe", $"{Arn}:topicfilter/{Jobs}/*/update/*")] = "jobs",
            [new("ShelfAgentDeviceOps", 1, "iot:Subscribe", $"{Arn}:topicfilter/{Csr}/*")] = "rotate-certificate",
            [new("ShelfAgentDeviceOps", 1, "iot:Subscribe", $"{Arn}:topicfilter/{rotation}/*")] = "rotate-certificate",
            [new("ShelfAgentDeviceOps", 2, "iot:Receive", $"{Arn}:topic/{Jobs}/notify-next")] = "jobs",
            [new("ShelfAgentDeviceOps", 2, "iot:Receive", $"{Arn}:topic/{Jobs}/start-next/*")] = "jobs",
            [new("ShelfAgentDeviceOps", 2, "iot:Receive", $"{Arn}:topic/{Jobs}/*/update/*")] = "jobs",
            [new("ShelfAgentDeviceOps", 2, "iot:Receive", $"{Arn}:topic/{Csr}/*")] = "rotate-certificate",
            [new("ShelfAgentDeviceOps", 2, "iot:Receive", $"{Arn}:topic/{rotation}/*")] = "rotate-certificate",
        };
    }
}

using ShelfAgent.Tests.Integration.AwsIot.Policy;

namespace ShelfAgent.Tests.Integration.AwsIot;

/// <summary>
/// Grants of Cloud's device policies that no agent on this branch uses yet, each with the feature of issue 14 that
/// will (shadow, jobs, rotate-certificate). The policy contract test expects the unused grants to be exactly these:
/// when a feature lands and its scenario runs, its grants are used, the test fails, and its lines come out of this
/// list. A grant here never hides a denied operation: denials fail regardless. The jobs client's own grants
/// (notify-next, start-next) are used by every run; the rest of jobs and rotate-certificate are used by the jobs
/// scenario (Integration/Fleet/Jobs/JobsPolicyContractTests), which checks them against this list's "jobs" and
/// "rotate-certificate" lines.
/// </summary>
public static class PolicyGrantsAwaiting
{
    private const string Arn = LocalIotCoreOptions.ArnPrefix;
    private const string Thing = "${iot:Connection.Thing.ThingName}";
    private const string Shadow = "$aws/things/" + Thing + "/shadow";
    private const string Jobs = "$aws/things/" + Thing + "/jobs";

    public static IReadOnlyDictionary<PolicyGrant, string> Device(string rotationTemplate)
    {
        var rotation = $"$aws/provisioning-templates/{rotationTemplate}/provision/json";
        const string Csr = "$aws/certificates/create-from-csr/json";
        return new Dictionary<PolicyGrant, string>
        {
            [new("ShelfAgentDevice", 1, "iot:Publish", $"{Arn}:topic/{Shadow}/update")] = "shadow",
            [new("ShelfAgentDevice", 1, "iot:Publish", $"{Arn}:topic/{Shadow}/get")] = "shadow",
            [new("ShelfAgentDevice", 3, "iot:Subscribe", $"{Arn}:topicfilter/{Shadow}/update/*")] = "shadow",
            [new("ShelfAgentDevice", 3, "iot:Subscribe", $"{Arn}:topicfilter/{Shadow}/get/*")] = "shadow",
            [new("ShelfAgentDevice", 4, "iot:Receive", $"{Arn}:topic/{Shadow}/update/*")] = "shadow",
            [new("ShelfAgentDevice", 4, "iot:Receive", $"{Arn}:topic/{Shadow}/get/*")] = "shadow",
            [new("ShelfAgentDeviceOps", 0, "iot:Publish", $"{Arn}:topic/{Jobs}/*/update")] = "jobs",
            [new("ShelfAgentDeviceOps", 0, "iot:Publish", $"{Arn}:topic/{Csr}")] = "rotate-certificate",
            [new("ShelfAgentDeviceOps", 0, "iot:Publish", $"{Arn}:topic/{rotation}")] = "rotate-certificate",
            [new("ShelfAgentDeviceOps", 1, "iot:Subscribe", $"{Arn}:topicfilter/{Jobs}/*/update/*")] = "jobs",
            [new("ShelfAgentDeviceOps", 1, "iot:Subscribe", $"{Arn}:topicfilter/{Csr}/*")] = "rotate-certificate",
            [new("ShelfAgentDeviceOps", 1, "iot:Subscribe", $"{Arn}:topicfilter/{rotation}/*")] = "rotate-certificate",
            [new("ShelfAgentDeviceOps", 2, "iot:Receive", $"{Arn}:topic/{Jobs}/notify-next")] = "jobs",
            [new("ShelfAgentDeviceOps", 2, "iot:Receive", $"{Arn}:topic/{Jobs}/*/update/*")] = "jobs",
            [new("ShelfAgentDeviceOps", 2, "iot:Receive", $"{Arn}:topic/{Csr}/*")] = "rotate-certificate",
            [new("ShelfAgentDeviceOps", 2, "iot:Receive", $"{Arn}:topic/{rotation}/*")] = "rotate-certificate",
        };
    }
}

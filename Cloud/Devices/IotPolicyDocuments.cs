namespace ShelfAgent.Cloud.Devices;

/// <summary>
/// The IoT policy documents as plain values (pure: no constructs), so their exact actions and resources are
/// reviewable and testable. Every statement names its actions and resources; no wildcard action and no "*"
/// resource (AWS IoT Core developer guide, "Example policies": least privilege per thing).
/// <see cref="DeviceJson"/> renders the device policy with a concrete ARN prefix, so a contract test can
/// evaluate it against the topics and flags the agent really uses.
/// </summary>
public static class IotPolicyDocuments
{
    private const string ThingName = "${iot:Connection.Thing.ThingName}";

    /// <summary>
    /// Device policy: connect only with client id = thing name and only while the certificate is attached
    /// to that thing; publish/subscribe/receive only below dt/shelf/{its store attribute}/{its name}/ and on
    /// its own classic shadow; publish retained only on its own status topic (the agent's {"online":true}
    /// and its last will are retained: without iot:RetainPublish AWS IoT Core refuses the connection's will
    /// and disconnects the publisher).
    /// </summary>
    /// <param name="arnPrefix">arn:{partition}:iot:{region}:{account} (tokens in a stack).</param>
    public static Dictionary<string, object> Device(string arnPrefix)
    {
        string[] ownTopics =
        [
            Topics.OwnSubtree,
            // Device Shadow service topics (developer guide "Device Shadow MQTT topics").
            $"$aws/things/{ThingName}/shadow/update",
            $"$aws/things/{ThingName}/shadow/get",
        ];
        string[] ownReplies =
        [
            Topics.OwnSubtree,
            $"$aws/things/{ThingName}/shadow/update/*",
            $"$aws/things/{ThingName}/shadow/get/*",
        ];

        return Document(
            Statement(
                "iot:Connect",
                [$"{arnPrefix}:client/{ThingName}"],
                // The certificate must be attached to the thing whose name is the client id.
                new Dictionary<string, object>
                {
                    ["Bool"] = new Dictionary<string, object> { ["iot:Connection.Thing.IsAttached"] = "true" },
                }),
            Statement("iot:Publish", ownTopics.Select(t => $"{arnPrefix}:topic/{t}").ToArray()),
            // Developer guide "Retained messages": a retained publish (and a retained will) needs iot:RetainPublish
            // on the topic as well as iot:Publish. Only status is retained; $aws topics cannot be.
            Statement("iot:RetainPublish", [$"{arnPrefix}:topic/{Topics.OwnStatus}"]),
            Statement("iot:Subscribe", ownReplies.Select(t => $"{arnPrefix}:topicfilter/{t}").ToArray()),
            Statement("iot:Receive", ownReplies.Select(t => $"{arnPrefix}:topic/{t}").ToArray()));
    }

    /// <summary>The device policy as JSON with a concrete ARN prefix, e.g. "arn:aws:iot:eu-west-1:123456789012".</summary>
    public static string DeviceJson(string arnPrefix) => System.Text.Json.JsonSerializer.Serialize(Device(arnPrefix));

    /// <summary>
    /// Claim-certificate policy: the shared bootstrap certificate may only create a certificate (with or
    /// without a CSR) and call one provisioning template, then it is useless. Fleet provisioning MQTT API:
    /// $aws/certificates/create/…, $aws/certificates/create-from-csr/…, $aws/provisioning-templates/{name}/provision/….
    /// </summary>
    /// <param name="arnPrefix">arn:{partition}:iot:{region}:{account}.</param>
    /// <param name="templateName">The provisioning template the claim may call.</param>
    public static Dictionary<string, object> Claim(string arnPrefix, string templateName)
    {
        string[] topics =
        [
            "$aws/certificates/create/*",
            "$aws/certificates/create-from-csr/*",
            $"$aws/provisioning-templates/{templateName}/provision/*",
        ];

        return Document(
            // A device being provisioned has no thing yet, so the client id cannot be pinned to a name.
            Statement("iot:Connect", [$"{arnPrefix}:client/*"]),
            Statement("iot:Publish", topics.Select(t => $"{arnPrefix}:topic/{t}").ToArray()),
            Statement("iot:Subscribe", topics.Select(t => $"{arnPrefix}:topicfilter/{t}").ToArray()),
            Statement("iot:Receive", topics.Select(t => $"{arnPrefix}:topic/{t}").ToArray()));
    }

    private static Dictionary<string, object> Document(params Dictionary<string, object>[] statements) =>
        new()
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = statements,
        };

    private static Dictionary<string, object> Statement(
        string action, string[] resources, Dictionary<string, object>? condition = null)
    {
        var statement = new Dictionary<string, object>
        {
            ["Effect"] = "Allow",
            ["Action"] = new[] { action },
            ["Resource"] = resources,
        };
        if (condition is not null)
        {
            statement["Condition"] = condition;
        }

        return statement;
    }
}

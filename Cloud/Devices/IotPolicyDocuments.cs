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
    /// <summary>
    /// Client ids a claim certificate may connect with: the agent's <c>provision-</c> + 16 hex of its key's SHA-256
    /// (Agent/IotCore/Provisioning/ClaimProvisioner). No thing may be named so (provisioning-hook.js refuses it).
    /// </summary>
    public const string ClaimClientIdPrefix = "provision-";

    private const string ThingName = "${iot:Connection.Thing.ThingName}";
    private const string Shadow = $"$aws/things/{ThingName}/shadow";
    private const string Jobs = $"$aws/things/{ThingName}/jobs";
    private const string CreateFromCsr = "$aws/certificates/create-from-csr/json";

    /// <summary>
    /// Device policy, held to what the agent really does by the policy contract test (Agent.Tests/Integration/Policies):
    /// connect only with client id = thing name and only while the certificate is attached to that thing; publish
    /// below dt/shelf/{its store attribute}/{its name}/; publish retained only on its own status topic (the agent's
    /// {"online":true} and its last will are retained: without iot:RetainPublish AWS IoT Core refuses the will and
    /// disconnects the publisher); publish its telemetry through Basic Ingest to the telemetry rule; its own classic shadow
    /// (get, update, their replies and the delta).
    /// Jobs and certificate rotation are in <see cref="DeviceOperations"/>: one document with all of it would pass
    /// CreatePolicy's 2048-character limit.
    /// </summary>
    /// <param name="arnPrefix">arn:{partition}:iot:{region}:{account} (tokens in a stack).</param>
    /// <param name="telemetryRule">
    /// The telemetry rule's name: the device publishes its telemetry to that rule's Basic Ingest topic (developer guide,
    /// "Reducing messaging costs with Basic Ingest": iot:Publish on <c>$aws/rules/{rule}/…</c>), its own thing's topic only.
    /// </param>
    public static Dictionary<string, object> Device(string arnPrefix, string telemetryRule)
    {
        string[] requests =
        [
            Topics.OwnSubtree,
            Topics.OwnTelemetryBasicIngest(telemetryRule),
            // Device Shadow service topics (developer guide "Device Shadow MQTT topics").
            $"{Shadow}/update",
            $"{Shadow}/get",
        ];
        string[] replies =
        [
            // …/accepted, …/rejected, and …/update/delta, …/update/documents.
            $"{Shadow}/update/*",
            $"{Shadow}/get/*",
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
            Statement("iot:Publish", Arns(arnPrefix, "topic", requests)),
            // Developer guide "Retained messages": a retained publish (and a retained will) needs iot:RetainPublish
            // on the topic as well as iot:Publish. Only status is retained; $aws topics cannot be.
            Statement("iot:RetainPublish", [$"{arnPrefix}:topic/{Topics.OwnStatus}"]),
            Statement("iot:Subscribe", Arns(arnPrefix, "topicfilter", replies)),
            Statement("iot:Receive", Arns(arnPrefix, "topic", replies)));
    }

    /// <summary>
    /// The device's second policy (attached next to <see cref="Device"/>): its own jobs (Jobs device MQTT API:
    /// notify-next, start-next, {jobId}/update and their replies) and certificate rotation with its own identity
    /// (create-from-csr, then RegisterThing with <paramref name="rotationTemplate"/> only). Connect stays in
    /// <see cref="Device"/>; without it this policy lets nothing connect.
    /// </summary>
    /// <param name="arnPrefix">arn:{partition}:iot:{region}:{account} (tokens in a stack).</param>
    /// <param name="rotationTemplate">The provisioning template a device may call to register its next certificate.</param>
    public static Dictionary<string, object> DeviceOperations(string arnPrefix, string rotationTemplate)
    {
        var rotation = $"$aws/provisioning-templates/{rotationTemplate}/provision/json";
        string[] requests = [$"{Jobs}/start-next", $"{Jobs}/*/update", CreateFromCsr, rotation];
        string[] replies = [$"{Jobs}/notify-next", $"{Jobs}/start-next/*", $"{Jobs}/*/update/*", CreateFromCsr + "/*", rotation + "/*"];
        return Document(
            Statement("iot:Publish", Arns(arnPrefix, "topic", requests)),
            Statement("iot:Subscribe", Arns(arnPrefix, "topicfilter", replies)),
            Statement("iot:Receive", Arns(arnPrefix, "topic", replies)));
    }

    /// <summary>The device policy as JSON with a concrete ARN prefix, e.g. "arn:aws:iot:eu-west-1:123456789012".</summary>
    public static string DeviceJson(string arnPrefix, string telemetryRule) => System.Text.Json.JsonSerializer.Serialize(Device(arnPrefix, telemetryRule));

    /// <summary>The device operations policy as JSON with a concrete ARN prefix.</summary>
    public static string DeviceOperationsJson(string arnPrefix, string rotationTemplate) =>
        System.Text.Json.JsonSerializer.Serialize(DeviceOperations(arnPrefix, rotationTemplate));

    /// <summary>The claim policy as JSON with a concrete ARN prefix.</summary>
    public static string ClaimJson(string arnPrefix, string templateName) =>
        System.Text.Json.JsonSerializer.Serialize(Claim(arnPrefix, templateName));

    /// <summary>
    /// Claim-certificate policy: the shared bootstrap certificate may only ask for a certificate from the device's own
    /// CSR and call one provisioning template, then it is useless (Fleet provisioning MQTT API: the requests
    /// $aws/certificates/create-from-csr/json and $aws/provisioning-templates/{name}/provision/json, their replies
    /// …/accepted and …/rejected). Held to what <c>shelf-agent provision</c> does by the policy contract test: the key
    /// is made on the device, so CreateKeysAndCertificate ($aws/certificates/create/…, which would send a private key
    /// over the network) is not granted, and a request topic is granted exactly, never its replies.
    /// </summary>
    /// <param name="arnPrefix">arn:{partition}:iot:{region}:{account}.</param>
    /// <param name="templateName">The provisioning template the claim may call.</param>
    public static Dictionary<string, object> Claim(string arnPrefix, string templateName)
    {
        string[] requests = [CreateFromCsr, $"$aws/provisioning-templates/{templateName}/provision/json"];
        string[] replies = [.. requests.Select(t => t + "/*")];

        return Document(
            // A device being provisioned has no thing yet, so the client id cannot be pinned to a name; it is held to
            // the agent's provisioning ids (provision-<key hash>), which the hook refuses as thing names: an extracted
            // claim certificate cannot connect as a device's client id and knock the device offline.
            Statement("iot:Connect", [$"{arnPrefix}:client/{ClaimClientIdPrefix}*"]),
            Statement("iot:Publish", Arns(arnPrefix, "topic", requests)),
            Statement("iot:Subscribe", Arns(arnPrefix, "topicfilter", replies)),
            Statement("iot:Receive", Arns(arnPrefix, "topic", replies)));
    }

    private static string[] Arns(string arnPrefix, string kind, string[] topics) =>
        topics.Select(t => $"{arnPrefix}:{kind}/{t}").ToArray();

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

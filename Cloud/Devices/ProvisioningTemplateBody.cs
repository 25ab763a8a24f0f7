using System.Text.Json.Nodes;

namespace ShelfAgent.Cloud.Devices;

/// <summary>
/// The fleet provisioning template body (AWS IoT developer guide, "Provisioning templates"): a thing named
/// by the device's ThingName parameter, its store id as a registry attribute (which the device policy reads),
/// the new certificate activated, and the device policies attached (the guide: "one or more IoT policies").
/// </summary>
public static class ProvisioningTemplateBody
{
    /// <summary>Template parameter carrying the thing name (= MQTT client id).</summary>
    public const string ThingNameParameter = "ThingName";

    /// <summary>Template parameter carrying the store id.</summary>
    public const string StoreIdParameter = "StoreId";

    /// <summary>Template parameter carrying the device's serial number (checked by the hook against the allow-list).</summary>
    public const string SerialNumberParameter = "SerialNumber";

    /// <summary>Template parameter carrying the device's secret (the hook compares its SHA-256 with the allow-list's).</summary>
    public const string DeviceSecretParameter = "DeviceSecret";

    /// <summary>Builds the template body JSON.</summary>
    public static string Build(string thingTypeName, string devicePolicyName, string deviceOperationsPolicyName)
    {
        var body = new JsonObject
        {
            ["Parameters"] = new JsonObject
            {
                [ThingNameParameter] = new JsonObject { ["Type"] = "String" },
                [StoreIdParameter] = new JsonObject { ["Type"] = "String" },
                // Read by the pre-provisioning hook only; no resource uses them, so neither is stored on the thing.
                [SerialNumberParameter] = new JsonObject { ["Type"] = "String" },
                [DeviceSecretParameter] = new JsonObject { ["Type"] = "String" },
                ["AWS::IoT::Certificate::Id"] = new JsonObject { ["Type"] = "String" },
            },
            ["Resources"] = new JsonObject
            {
                ["thing"] = new JsonObject
                {
                    ["Type"] = "AWS::IoT::Thing",
                    ["Properties"] = new JsonObject
                    {
                        ["ThingName"] = new JsonObject { ["Ref"] = ThingNameParameter },
                        ["ThingTypeName"] = thingTypeName,
                        ["AttributePayload"] = new JsonObject
                        {
                            [Topics.StoreAttribute] = new JsonObject { ["Ref"] = StoreIdParameter },
                        },
                    },
                    // Re-provisioning an existing thing must not silently move it to another store.
                    ["OverrideSettings"] = new JsonObject
                    {
                        ["AttributePayload"] = "DO_NOTHING",
                        ["ThingTypeName"] = "DO_NOTHING",
                    },
                },
                ["certificate"] = Certificate(),
                ["policy"] = Policy(devicePolicyName),
                ["operationsPolicy"] = Policy(deviceOperationsPolicyName),
            },
        };
        return body.ToJsonString();
    }

    /// <summary>
    /// The rotation template body: the device's existing thing (named by ThingName, left as it is: no attribute or
    /// type change), the new certificate activated, the device policies attached. Its hook checks that the caller's
    /// certificate is attached to that thing.
    /// </summary>
    public static string BuildRotation(string devicePolicyName, string deviceOperationsPolicyName)
    {
        var body = new JsonObject
        {
            ["Parameters"] = new JsonObject
            {
                [ThingNameParameter] = new JsonObject { ["Type"] = "String" },
                ["AWS::IoT::Certificate::Id"] = new JsonObject { ["Type"] = "String" },
            },
            ["Resources"] = new JsonObject
            {
                ["thing"] = new JsonObject
                {
                    ["Type"] = "AWS::IoT::Thing",
                    ["Properties"] = new JsonObject { ["ThingName"] = new JsonObject { ["Ref"] = ThingNameParameter } },
                    ["OverrideSettings"] = new JsonObject
                    {
                        ["AttributePayload"] = "DO_NOTHING",
                        ["ThingTypeName"] = "DO_NOTHING",
                        ["ThingGroups"] = "DO_NOTHING",
                    },
                },
                ["certificate"] = Certificate(),
                ["policy"] = Policy(devicePolicyName),
                ["operationsPolicy"] = Policy(deviceOperationsPolicyName),
            },
        };
        return body.ToJsonString();
    }

    private static JsonObject Certificate() => new()
    {
        ["Type"] = "AWS::IoT::Certificate",
        ["Properties"] = new JsonObject
        {
            ["CertificateId"] = new JsonObject { ["Ref"] = "AWS::IoT::Certificate::Id" },
            ["Status"] = "ACTIVE",
        },
    };

    private static JsonObject Policy(string name) => new()
    {
        ["Type"] = "AWS::IoT::Policy",
        ["Properties"] = new JsonObject { ["PolicyName"] = name },
    };
}

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

    /// <summary>Builds the template body JSON.</summary>
    public static string Build(string thingTypeName, string devicePolicyName, string deviceOperationsPolicyName)
    {
        var body = new JsonObject
        {
            ["Parameters"] = new JsonObject
            {
                [ThingNameParameter] = new JsonObject { ["Type"] = "String" },
                [StoreIdParameter] = new JsonObject { ["Type"] = "String" },
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
                ["certificate"] = new JsonObject
                {
                    ["Type"] = "AWS::IoT::Certificate",
                    ["Properties"] = new JsonObject
                    {
                        ["CertificateId"] = new JsonObject { ["Ref"] = "AWS::IoT::Certificate::Id" },
                        ["Status"] = "ACTIVE",
                    },
                },
                ["policy"] = new JsonObject
                {
                    ["Type"] = "AWS::IoT::Policy",
                    ["Properties"] = new JsonObject { ["PolicyName"] = devicePolicyName },
                },
                ["operationsPolicy"] = new JsonObject
                {
                    ["Type"] = "AWS::IoT::Policy",
                    ["Properties"] = new JsonObject { ["PolicyName"] = deviceOperationsPolicyName },
                },
            },
        };
        return body.ToJsonString();
    }
}

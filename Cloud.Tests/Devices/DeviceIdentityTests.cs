using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using ShelfAgent.Cloud.Devices;

namespace ShelfAgent.Cloud.Tests.Devices;

[Collection(CdkSynth.Name)]
public sealed class DeviceIdentityTests(SynthFixture synth)
{
    private const string Arn = "arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}";
    private const string Thing = "${iot:Connection.Thing.ThingName}";
    private const string Own = "dt/shelf/${iot:Connection.Thing.Attributes[storeId]}/" + Thing + "/*";
    private const string Shadow = "$aws/things/" + Thing + "/shadow";
    private const string Jobs = "$aws/things/" + Thing + "/jobs";

    private JsonObject Policy(string name) =>
        synth.OfType("AWS::IoT::Policy")
            .Single(p => p.Value["Properties"]!["PolicyName"]!.GetValue<string>() == name)
            .Value["Properties"]!["PolicyDocument"]!.AsObject();

    [Fact]
    public void Device_policy_allows_exactly_its_own_client_topics_and_shadow_when_synthesized()
    {
        var statements = Cfn.Statements(Policy("ShelfAgentDevice-test"))
            .Select(s => (Action: Assert.Single(s.Actions), s.Resources))
            .ToDictionary(s => s.Action, s => s.Resources);

        Assert.Equal(["iot:Connect", "iot:Publish", "iot:RetainPublish", "iot:Subscribe", "iot:Receive"], statements.Keys);
        Assert.Equal([$"{Arn}:client/{Thing}"], statements["iot:Connect"]);
        // The agent publishes its status and its will retained: AWS IoT Core needs iot:RetainPublish for both.
        Assert.Equal([$"{Arn}:topic/dt/shelf/${{iot:Connection.Thing.Attributes[storeId]}}/{Thing}/status"], statements["iot:RetainPublish"]);
        // Telemetry through Basic Ingest to the stage's telemetry rule, the device's own store and thing only.
        var basicIngest = "$aws/rules/shelfagent_test_telemetry/dt/shelf/${iot:Connection.Thing.Attributes[storeId]}/" + Thing + "/telemetry";
        Assert.Equal(new[] { Own, basicIngest, $"{Shadow}/update", $"{Shadow}/get" }.Select(t => $"{Arn}:topic/{t}"), statements["iot:Publish"]);
        string[] replies = [$"{Shadow}/update/*", $"{Shadow}/get/*"];
        Assert.Equal(replies.Select(t => $"{Arn}:topicfilter/{t}"), statements["iot:Subscribe"]);
        Assert.Equal(replies.Select(t => $"{Arn}:topic/{t}"), statements["iot:Receive"]);
    }

    [Fact]
    public void Device_operations_policy_allows_exactly_its_own_jobs_and_the_rotation_template_when_synthesized()
    {
        var statements = Cfn.Statements(Policy("ShelfAgentDeviceOps-test"))
            .Select(s => (Action: Assert.Single(s.Actions), s.Resources))
            .ToDictionary(s => s.Action, s => s.Resources);
        const string Rotation = "$aws/provisioning-templates/ShelfAgentRotate-test/provision/json";
        const string Csr = "$aws/certificates/create-from-csr/json";

        Assert.Equal(["iot:Publish", "iot:Subscribe", "iot:Receive"], statements.Keys);
        Assert.Equal(new[] { $"{Jobs}/start-next", $"{Jobs}/*/update", Csr, Rotation }.Select(t => $"{Arn}:topic/{t}"), statements["iot:Publish"]);
        string[] replies = [$"{Jobs}/notify-next", $"{Jobs}/start-next/*", $"{Jobs}/*/update/*", Csr + "/*", Rotation + "/*"];
        Assert.Equal(replies.Select(t => $"{Arn}:topicfilter/{t}"), statements["iot:Subscribe"]);
        Assert.Equal(replies.Select(t => $"{Arn}:topic/{t}"), statements["iot:Receive"]);
    }

    [Fact]
    public void Device_policy_json_helpers_render_the_synthesized_documents_when_given_an_arn_prefix()
    {
        // The policy contract test (issue 14) evaluates these JSON documents against the agent's real operations.
        static IEnumerable<string> Flat(JsonNode document) => Cfn.Statements(document).Select(s =>
            string.Join(",", s.Actions) + "|" + string.Join(",", s.Resources) + "|" + (s.Raw["Condition"]?.ToJsonString() ?? ""));
        Assert.Equal(Flat(Policy("ShelfAgentDevice-test")), Flat(JsonNode.Parse(IotPolicyDocuments.DeviceJson(Arn, "shelfagent_test_telemetry"))!));
        Assert.Equal(Flat(Policy("ShelfAgentDeviceOps-test")), Flat(JsonNode.Parse(IotPolicyDocuments.DeviceOperationsJson(Arn, "ShelfAgentRotate-test"))!));
        Assert.Equal(Flat(Policy("ShelfAgentClaim-test")), Flat(JsonNode.Parse(IotPolicyDocuments.ClaimJson(Arn, "ShelfAgent-test"))!));
    }

    [Fact]
    public void Each_policy_fits_the_2048_character_limit_with_the_longest_arn_prefix()
    {
        // CreatePolicy: "policyDocument … maximum length of 2048, excluding whitespace". The longest partition and
        // region names (aws-us-gov, us-gov-west-1), a 12-digit account and the longest stage's template names.
        const string Prefix = "arn:aws-us-gov:iot:us-gov-west-1:123456789012";
        string[] documents =
        [
            IotPolicyDocuments.DeviceJson(Prefix, new StageNaming("abcdefghijkl").Rule(Topics.TelemetryRulePurpose)),
            IotPolicyDocuments.DeviceOperationsJson(Prefix, new StageNaming("abcdefghijkl").RotationTemplate),
            IotPolicyDocuments.ClaimJson(Prefix, new StageNaming("abcdefghijkl").ProvisioningTemplate),
        ];
        Assert.All(documents, json => Assert.InRange(json.Count(c => !char.IsWhiteSpace(c)), 1, 2048));
    }

    [Fact]
    public void Provisioning_template_calls_the_hook_that_only_it_may_invoke_when_a_device_provisions()
    {
        var template = synth.PropertiesOf("AWS::IoT::ProvisioningTemplate", "DevicesProvisioningTemplate");
        var hookId = synth.LogicalId("AWS::Lambda::Function", "DevicesPreProvisioningHook");
        Assert.Equal("${" + hookId + ".Arn}", Cfn.Render(template["PreProvisioningHook"]!["TargetArn"]));
        Assert.Equal("2020-04-01", template["PreProvisioningHook"]!["PayloadVersion"]!.GetValue<string>());

        var permission = synth.PropertiesOf("AWS::Lambda::Permission", "DevicesHookInvokePermission");
        Assert.Equal("iot.amazonaws.com", permission["Principal"]!.GetValue<string>());
        Assert.Equal($"{Arn}:provisioningtemplate/ShelfAgent-test", Cfn.Render(permission["SourceArn"]));
        Assert.Equal("${AWS::AccountId}", Cfn.Render(permission["SourceAccount"]));

        var hook = synth.ResourceMap[hookId]!["Properties"]!;
        var tableId = synth.LogicalId("AWS::DynamoDB::Table", "DevicesProvisioningAllowList");
        Assert.Equal("${" + tableId + "}", Cfn.Render(hook["Environment"]!["Variables"]!["ALLOW_LIST_TABLE"]));
        Assert.Equal(4, hook["Timeout"]!.GetValue<int>());
        var statements = synth.RoleStatements(SynthFixture.RoleIdOf(hook["Role"]));
        Assert.Contains(statements,
            s => s.Actions.SequenceEqual(["dynamodb:GetItem", "dynamodb:UpdateItem"]) && s.Resources.SequenceEqual(["${" + tableId + ".Arn}"]));
        Assert.Contains(statements, s => s.Actions.SequenceEqual(["iot:DescribeThing"]) && s.Resources.SequenceEqual([$"{Arn}:thing/*"]));
        Assert.Equal("PAY_PER_REQUEST", synth.ResourceMap[tableId]!["Properties"]!["BillingMode"]!.GetValue<string>());
    }

    [Fact]
    public void Rotation_template_keeps_the_thing_attaches_both_device_policies_and_calls_its_own_hook()
    {
        var template = synth.ResourceMap[synth.LogicalId("AWS::IoT::ProvisioningTemplate", "DevicesRotationTemplate")]!["Properties"]!;
        Assert.Equal("ShelfAgentRotate-test", template["TemplateName"]!.GetValue<string>());
        var body = JsonNode.Parse(template["TemplateBody"]!.GetValue<string>())!;
        var thing = body["Resources"]!["thing"]!;
        Assert.Equal("ThingName", thing["Properties"]!["ThingName"]!["Ref"]!.GetValue<string>());
        Assert.Null(thing["Properties"]!["AttributePayload"]);
        Assert.Equal("DO_NOTHING", thing["OverrideSettings"]!["AttributePayload"]!.GetValue<string>());
        Assert.Equal("ShelfAgentDevice-test", body["Resources"]!["policy"]!["Properties"]!["PolicyName"]!.GetValue<string>());
        Assert.Equal("ShelfAgentDeviceOps-test", body["Resources"]!["operationsPolicy"]!["Properties"]!["PolicyName"]!.GetValue<string>());

        var hookId = synth.LogicalId("AWS::Lambda::Function", "DevicesRotationHook");
        Assert.Equal("${" + hookId + ".Arn}", Cfn.Render(template["PreProvisioningHook"]!["TargetArn"]));
        var permission = synth.PropertiesOf("AWS::Lambda::Permission", "DevicesRotationHookInvokePermission");
        Assert.Equal($"{Arn}:provisioningtemplate/ShelfAgentRotate-test", Cfn.Render(permission["SourceArn"]));
        var hook = synth.ResourceMap[hookId]!["Properties"]!;
        Assert.Equal($"{Arn}:cert/", Cfn.Render(hook["Environment"]!["Variables"]!["CERT_ARN_PREFIX"]));
        var statements = synth.RoleStatements(SynthFixture.RoleIdOf(hook["Role"]));
        Assert.Contains(statements, s => s.Actions.SequenceEqual(["iot:ListPrincipalThings"]));
        Assert.DoesNotContain(statements, s => s.Actions.Any(a => a.StartsWith("iot:", StringComparison.Ordinal) && a != "iot:ListPrincipalThings"));
    }

    [Fact]
    public void Device_policy_requires_certificate_attached_to_the_thing_when_connecting()
    {
        var connect = Cfn.Statements(Policy("ShelfAgentDevice-test")).Single(s => s.Actions.Contains("iot:Connect"));
        Assert.Equal("true", connect.Raw["Condition"]!["Bool"]!["iot:Connection.Thing.IsAttached"]!.GetValue<string>());
    }

    [Fact]
    public void Device_topics_take_the_store_from_the_thing_attribute_when_a_device_publishes()
    {
        // Neither the topic nor the payload can choose the store: the registry attribute does.
        var publish = Cfn.Statements(Policy("ShelfAgentDevice-test")).Single(s => s.Actions.Contains("iot:Publish"));
        Assert.All(publish.Resources.Where(r => r.Contains(":topic/dt/", StringComparison.Ordinal)),
            r => Assert.Contains("/dt/shelf/${iot:Connection.Thing.Attributes[storeId]}/${iot:Connection.Thing.ThingName}/", r, StringComparison.Ordinal));
    }

    [Fact]
    public void No_iot_policy_grants_wildcard_actions_or_star_resources_when_synthesized()
    {
        var policies = synth.OfType("AWS::IoT::Policy").ToList();
        Assert.Equal(3, policies.Count);
        foreach (var (_, policy) in policies)
        {
            foreach (var statement in Cfn.Statements(policy["Properties"]!["PolicyDocument"]!))
            {
                Assert.Equal("Allow", statement.Raw["Effect"]!.GetValue<string>());
                Assert.All(statement.Actions, a => Assert.DoesNotContain("*", a, StringComparison.Ordinal));
                Assert.All(statement.Resources, r => Assert.NotEqual("*", r));
                Assert.All(statement.Resources, r => Assert.StartsWith(Arn + ":", r, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void Claim_policy_allows_only_create_from_csr_and_its_template_requests_and_their_replies_when_synthesized()
    {
        // No $aws/certificates/create/…: the device makes its own key (CreateKeysAndCertificate would send one).
        string[] requests =
        [
            "$aws/certificates/create-from-csr/json",
            "$aws/provisioning-templates/ShelfAgent-test/provision/json",
        ];
        var statements = Cfn.Statements(Policy("ShelfAgentClaim-test"))
            .ToDictionary(s => Assert.Single(s.Actions), s => s.Resources);

        Assert.Equal(["iot:Connect", "iot:Publish", "iot:Subscribe", "iot:Receive"], statements.Keys);
        Assert.Equal([$"{Arn}:client/provision-*"], statements["iot:Connect"]);
        Assert.Equal(requests.Select(t => $"{Arn}:topic/{t}"), statements["iot:Publish"]);
        Assert.Equal(requests.Select(t => $"{Arn}:topicfilter/{t}/*"), statements["iot:Subscribe"]);
        Assert.Equal(requests.Select(t => $"{Arn}:topic/{t}/*"), statements["iot:Receive"]);
    }

    [Fact]
    public void Provisioning_template_names_thing_from_parameter_and_attaches_device_policy_when_device_provisions()
    {
        var template = synth.PropertiesOf("AWS::IoT::ProvisioningTemplate", "DevicesProvisioningTemplate");
        Assert.Equal("ShelfAgent-test", template["TemplateName"]!.GetValue<string>());
        Assert.True(template["Enabled"]!.GetValue<bool>());

        var body = JsonNode.Parse(template["TemplateBody"]!.GetValue<string>())!;
        var thing = body["Resources"]!["thing"]!["Properties"]!;
        Assert.Equal("ThingName", thing["ThingName"]!["Ref"]!.GetValue<string>());
        Assert.Equal("StoreId", thing["AttributePayload"]!["storeId"]!["Ref"]!.GetValue<string>());
        Assert.Equal("ShelfAgentShelf-test", thing["ThingTypeName"]!.GetValue<string>());
        Assert.Equal("ShelfAgentDevice-test", body["Resources"]!["policy"]!["Properties"]!["PolicyName"]!.GetValue<string>());
        Assert.Equal("ShelfAgentDeviceOps-test", body["Resources"]!["operationsPolicy"]!["Properties"]!["PolicyName"]!.GetValue<string>());
        Assert.Equal("ACTIVE", body["Resources"]!["certificate"]!["Properties"]!["Status"]!.GetValue<string>());
        Assert.NotNull(body["Parameters"]!["AWS::IoT::Certificate::Id"]);
    }

    [Fact]
    public void Provisioning_role_is_assumed_by_iot_with_the_registration_policy_when_synthesized()
    {
        synth.Template.HasResourceProperties("AWS::IAM::Role", Match.ObjectLike(new Dictionary<string, object>
        {
            ["AssumeRolePolicyDocument"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["Statement"] = Match.ArrayWith([Match.ObjectLike(new Dictionary<string, object>
                {
                    ["Principal"] = new Dictionary<string, object> { ["Service"] = "iot.amazonaws.com" },
                })]),
            }),
            ["ManagedPolicyArns"] = Match.ArrayWith([Match.ObjectLike(new Dictionary<string, object>
            {
                ["Fn::Join"] = Match.ArrayWith([Match.ArrayWith([":iam::aws:policy/service-role/AWSIoTThingsRegistration"])]),
            })]),
        }));
    }

    [Fact]
    public void Thing_type_makes_store_id_searchable_when_synthesized()
    {
        synth.Template.HasResourceProperties("AWS::IoT::ThingType", new Dictionary<string, object>
        {
            ["ThingTypeName"] = "ShelfAgentShelf-test",
            ["ThingTypeProperties"] = Match.ObjectLike(new Dictionary<string, object> { ["SearchableAttributes"] = new[] { "storeId" } }),
        });
    }
}

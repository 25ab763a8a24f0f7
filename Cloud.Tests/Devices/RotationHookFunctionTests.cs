using System.Text.Json.Nodes;

namespace ShelfAgent.Cloud.Tests.Devices;

/// <summary>The rotation template's hook (Lambda/rotation-hook.js) under node, the AWS SDK faked at its package boundary.</summary>
public sealed class RotationHookFunctionTests : IDisposable
{
    private const string Caller = "5596bd96e0c1219b61f2a03742add29415513eb6c08d6d4788f69bd85e12809c";
    private static readonly Dictionary<string, string> Env = new() { ["CERT_ARN_PREFIX"] = "arn:aws:iot:eu-west-1:123456789012:cert/" };
    private readonly NodeLambda _hook = new(LambdaSource.RotationHook, "client-iot");

    public void Dispose() => _hook.Dispose();

    /// <summary>The hook input of the developer guide ("Pre-provisioning hooks"): claimCertificateId is the caller's certificate.</summary>
    private static JsonObject Request(string thing, string caller = Caller) => new()
    {
        ["claimCertificateId"] = caller,
        ["certificateId"] = "a1b2c3-new",
        ["certificatePem"] = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
        ["templateArn"] = "arn:aws:iot:eu-west-1:123456789012:provisioningtemplate/ShelfAgentRotate-test",
        ["clientId"] = thing,
        ["parameters"] = new JsonObject { ["ThingName"] = thing },
    };

    private static JsonObject Things(params string[] things) => new()
    {
        ["ListPrincipalThingsCommand"] = new JsonObject { ["result"] = new JsonObject { ["things"] = new JsonArray([.. things.Select(t => (JsonNode)t)]) } },
    };

    private static bool Allowed(NodeLambda.Invocation run) => run.Result!["allowProvisioning"]!.GetValue<bool>();

    [Fact]
    public async Task Allows_a_new_certificate_for_the_thing_the_callers_certificate_is_attached_to()
    {
        var run = await _hook.InvokeAsync(Request("shelf-0042-01"), Env, Things("shelf-0042-01"));
        Assert.Null(run.Error);
        Assert.True(Allowed(run));
        var list = run.Calls.Single()!["input"]!;
        Assert.Equal($"arn:aws:iot:eu-west-1:123456789012:cert/{Caller}", list["principal"]!.GetValue<string>());
    }

    [Fact]
    public async Task Refuses_a_new_certificate_for_another_devices_thing()
    {
        var run = await _hook.InvokeAsync(Request("shelf-0042-02"), Env, Things("shelf-0042-01"));
        Assert.False(Allowed(run));
        Assert.Contains("not attached", run.Log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("shelf 42", Caller)]
    [InlineData("shelf-0042-01", "not-a-certificate-id")]
    public async Task Refuses_without_asking_aws_when_the_thing_or_the_caller_is_malformed(string thing, string caller)
    {
        var run = await _hook.InvokeAsync(Request(thing, caller), Env, Things(thing));
        Assert.False(Allowed(run));
        Assert.Empty(run.Calls);
    }

    [Fact]
    public async Task Fails_closed_when_aws_iot_answers_with_an_error()
    {
        var run = await _hook.InvokeAsync(
            Request("shelf-0042-01"), Env, new JsonObject { ["ListPrincipalThingsCommand"] = new JsonObject { ["error"] = "ThrottlingException" } });
        Assert.StartsWith("ThrottlingException", run.Error, StringComparison.Ordinal);
    }
}

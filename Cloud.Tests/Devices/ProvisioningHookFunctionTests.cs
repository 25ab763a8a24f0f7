using System.Text.Json.Nodes;

namespace ShelfAgent.Cloud.Tests.Devices;

/// <summary>The pre-provisioning hook (Lambda/provisioning-hook.js) under node, the AWS SDK faked at its package boundary.</summary>
public sealed class ProvisioningHookFunctionTests : IDisposable
{
    private static readonly Dictionary<string, string> Env = new() { ["ALLOW_LIST_TABLE"] = "allow-list" };
    private readonly NodeLambda _hook = new(LambdaSource.ProvisioningHook, "client-iot", "client-dynamodb");

    public void Dispose() => _hook.Dispose();

    /// <summary>The hook input of the developer guide ("Pre-provisioning hooks"), with ShelfAgent's template parameters.</summary>
    private static JsonObject Request(JsonObject parameters) => new()
    {
        ["claimCertificateId"] = "1f0c6a8e-claim",
        ["certificateId"] = "a1b2c3-new",
        ["certificatePem"] = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
        ["templateArn"] = "arn:aws:iot:eu-west-1:123456789012:provisioningtemplate/ShelfAgent-test",
        ["clientId"] = "221a6d10-9c7f-42f1-9153-e52e6fc869c1",
        ["parameters"] = parameters,
    };

    private const string Secret = "a0f3-device-secret-7c21";

    /// <summary>SHA-256 (hex) of <see cref="Secret"/>, as an operator stores it on the allow-list entry.</summary>
    private static readonly string SecretSha256 =
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Secret)));

    private static JsonObject Params(
        string thing = "shelf-0042-01", string store = "store-0042", string? serial = "SN-0042-0001", string? secret = Secret)
    {
        var p = new JsonObject { ["ThingName"] = thing, ["StoreId"] = store };
        if (serial is not null)
        {
            p["SerialNumber"] = serial;
        }

        if (secret is not null)
        {
            p["DeviceSecret"] = secret;
        }

        return p;
    }

    private static JsonObject Entry(string store = "store-0042", string serial = "SN-0042-0001", bool used = false)
    {
        var item = new JsonObject
        {
            ["thingName"] = new JsonObject { ["S"] = "shelf-0042-01" },
            ["storeId"] = new JsonObject { ["S"] = store },
            ["serialNumber"] = new JsonObject { ["S"] = serial },
            ["secretSha256"] = new JsonObject { ["S"] = SecretSha256 },
        };
        if (used)
        {
            item["usedAt"] = new JsonObject { ["S"] = "2026-12-01T10:00:00.000Z" };
        }

        return new JsonObject { ["result"] = new JsonObject { ["Item"] = item } };
    }

    private static readonly JsonObject NoSuchThing = new() { ["error"] = "ResourceNotFoundException" };

    private async Task<NodeLambda.Invocation> AskAsync(JsonObject parameters, JsonObject? entry, JsonObject? describe = null, JsonObject? update = null)
    {
        var fakes = new JsonObject
        {
            ["GetItemCommand"] = entry ?? new JsonObject { ["result"] = new JsonObject() },
            ["DescribeThingCommand"] = describe ?? NoSuchThing.DeepClone(),
            ["UpdateItemCommand"] = update ?? new JsonObject { ["result"] = new JsonObject() },
        };
        return await _hook.InvokeAsync(Request(parameters), Env, fakes);
    }

    private static bool Allowed(NodeLambda.Invocation run) => run.Result!["allowProvisioning"]!.GetValue<bool>();

    [Fact]
    public async Task Allows_a_new_thing_on_the_allow_list_when_its_store_matches()
    {
        var run = await AskAsync(Params(), Entry());
        Assert.Null(run.Error);
        Assert.True(Allowed(run));
        var get = run.Calls.Single(c => c!["command"]!.GetValue<string>() == "GetItemCommand")!["input"]!;
        Assert.Equal("allow-list", get["TableName"]!.GetValue<string>());
        Assert.Equal("shelf-0042-01", get["Key"]!["thingName"]!["S"]!.GetValue<string>());
        Assert.True(get["ConsistentRead"]!.GetValue<bool>());
        Assert.Equal(
            "shelf-0042-01",
            run.Calls.Single(c => c!["command"]!.GetValue<string>() == "DescribeThingCommand")!["input"]!["thingName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Refuses_to_take_over_a_thing_when_it_already_exists()
    {
        var existing = new JsonObject { ["result"] = new JsonObject { ["thingName"] = "shelf-0042-01", ["thingId"] = "x" } };
        var run = await AskAsync(Params(), Entry(), existing);
        Assert.False(Allowed(run));
        Assert.Contains("already exists", run.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_thing_when_it_is_not_on_the_allow_list()
    {
        var run = await AskAsync(Params(), entry: null);
        Assert.False(Allowed(run));
        Assert.DoesNotContain(run.Calls, c => c!["command"]!.GetValue<string>() == "DescribeThingCommand");
    }

    [Fact]
    public async Task Refuses_a_listed_thing_when_it_asks_for_another_store()
    {
        Assert.False(Allowed(await AskAsync(Params(store: "store-0099"), Entry())));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("SN-OTHER")]
    public async Task Refuses_a_listed_thing_when_the_device_sends_no_or_another_serial_number(string? serial)
    {
        var run = await AskAsync(Params(serial: serial), Entry());
        Assert.False(Allowed(run));
        Assert.DoesNotContain(run.Calls, c => c!["command"]!.GetValue<string>() == "UpdateItemCommand");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-secret")]
    public async Task Refuses_a_listed_thing_when_the_device_secret_is_missing_or_wrong(string? secret)
    {
        // The claim certificate is shared by the fleet and thing names are guessable: the secret is what only this device has.
        var run = await AskAsync(Params(secret: secret), Entry());
        Assert.False(Allowed(run));
        Assert.DoesNotContain(run.Calls, c => c!["command"]!.GetValue<string>() == "UpdateItemCommand");
    }

    [Fact]
    public async Task Marks_the_entry_used_with_a_conditional_update_when_it_allows()
    {
        var run = await AskAsync(Params(), Entry());
        Assert.True(Allowed(run));
        var update = run.Calls.Single(c => c!["command"]!.GetValue<string>() == "UpdateItemCommand")!["input"]!;
        Assert.Equal("allow-list", update["TableName"]!.GetValue<string>());
        Assert.Equal("attribute_exists(thingName) AND attribute_not_exists(usedAt)", update["ConditionExpression"]!.GetValue<string>());
        Assert.Equal("a1b2c3-new", update["ExpressionAttributeValues"]![":cert"]!["S"]!.GetValue<string>());
    }

    [Fact]
    public async Task Refuses_the_second_of_two_racing_requests_when_the_first_used_the_entry()
    {
        // Both passed DescribeThing before either registered: the conditional update lets one through.
        var run = await AskAsync(Params(), Entry(), update: new JsonObject { ["error"] = "ConditionalCheckFailedException" });
        Assert.False(Allowed(run));
        Assert.Null(run.Error);
        Assert.Contains("already used", run.Log, StringComparison.Ordinal);
        Assert.False(Allowed(await AskAsync(Params(), Entry(used: true))));
    }

    [Theory]
    [InlineData("", "store-0042")]
    [InlineData("shelf 42", "store-0042")]
    [InlineData("shelf-0042-01", "store/0042")]
    [InlineData("provision-0123456789abcdef", "store-0042")]
    public async Task Refuses_without_asking_aws_when_parameters_are_malformed(string thing, string store)
    {
        var run = await AskAsync(Params(thing, store), Entry());
        Assert.False(Allowed(run));
        Assert.Empty(run.Calls);
    }

    [Fact]
    public async Task Fails_closed_when_aws_iot_answers_with_an_error_other_than_not_found()
    {
        var run = await AskAsync(Params(), Entry(), new JsonObject { ["error"] = "ThrottlingException" });
        // A thrown error is a refusal for AWS IoT (ACCESS_DENIED).
        Assert.StartsWith("ThrottlingException", run.Error, StringComparison.Ordinal);
    }
}

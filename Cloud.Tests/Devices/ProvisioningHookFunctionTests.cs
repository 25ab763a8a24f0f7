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

    private static JsonObject Params(string thing = "shelf-0042-01", string store = "store-0042", string? serial = null)
    {
        var p = new JsonObject { ["ThingName"] = thing, ["StoreId"] = store };
        if (serial is not null)
        {
            p["SerialNumber"] = serial;
        }

        return p;
    }

    private static JsonObject Entry(string store = "store-0042", string? serial = null)
    {
        var item = new JsonObject { ["thingName"] = new JsonObject { ["S"] = "shelf-0042-01" }, ["storeId"] = new JsonObject { ["S"] = store } };
        if (serial is not null)
        {
            item["serialNumber"] = new JsonObject { ["S"] = serial };
        }

        return new JsonObject { ["result"] = new JsonObject { ["Item"] = item } };
    }

    private static readonly JsonObject NoSuchThing = new() { ["error"] = "ResourceNotFoundException" };

    private async Task<NodeLambda.Invocation> AskAsync(JsonObject parameters, JsonObject? entry, JsonObject? describe = null)
    {
        var fakes = new JsonObject
        {
            ["GetItemCommand"] = entry ?? new JsonObject { ["result"] = new JsonObject() },
            ["DescribeThingCommand"] = describe ?? NoSuchThing.DeepClone(),
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
    public async Task Refuses_a_listed_thing_when_the_entry_has_a_serial_number_and_the_device_sends_another(string? serial)
    {
        Assert.False(Allowed(await AskAsync(Params(serial: serial), Entry(serial: "SN-0042-0001"))));
        Assert.True(Allowed(await AskAsync(Params(serial: "SN-0042-0001"), Entry(serial: "SN-0042-0001"))));
    }

    [Theory]
    [InlineData("", "store-0042")]
    [InlineData("shelf 42", "store-0042")]
    [InlineData("shelf-0042-01", "store/0042")]
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

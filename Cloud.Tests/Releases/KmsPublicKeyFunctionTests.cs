using System.Text.Json.Nodes;

namespace ShelfAgent.Cloud.Tests.Releases;

/// <summary>The custom resource that reads a signing key's public half (Lambda/kms-public-key.js) under node, KMS faked.</summary>
public sealed class KmsPublicKeyFunctionTests : IDisposable
{
    private const string KeyArn = "arn:aws:kms:eu-west-1:111122223333:key/0b1c2d3e-aaaa-bbbb-cccc-111122223333";
    private static readonly byte[] Der = [0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];

    private readonly NodeLambda _reader = new(LambdaSource.KmsPublicKey, "client-kms");

    public void Dispose() => _reader.Dispose();

    private static JsonObject Request(string type) => new()
    {
        ["RequestType"] = type,
        ["ResponseURL"] = "https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com/answer?X-Amz-Signature=x",
        ["StackId"] = "arn:aws:cloudformation:eu-west-1:111122223333:stack/ShelfAgent-test/1",
        ["RequestId"] = "req-1",
        ["LogicalResourceId"] = "SigningUpdateKeyPublicKey",
        ["PhysicalResourceId"] = type == "Create" ? null : "0b1c2d3e-aaaa-bbbb-cccc-111122223333",
        ["ResourceProperties"] = new JsonObject { ["KeyId"] = KeyArn },
    };

    private static JsonObject Key(string spec, string usage) => new()
    {
        ["GetPublicKeyCommand"] = new JsonObject
        {
            ["result"] = new JsonObject
            {
                ["KeyId"] = KeyArn,
                ["KeySpec"] = spec,
                ["KeyUsage"] = usage,
                ["PublicKey"] = new JsonArray(Der.Select(b => (JsonNode)(int)b).ToArray()),
            },
        },
    };

    private static JsonNode Answer(NodeLambda.Invocation run)
    {
        var put = Assert.Single(run.Calls, c => c!["command"]!.GetValue<string>() == "fetch")!["input"]!;
        Assert.Equal("PUT", put["method"]!.GetValue<string>());
        Assert.StartsWith("https://cloudformation-custom-resource-response", put["url"]!.GetValue<string>(), StringComparison.Ordinal);
        // No content type: the pre-signed response URL's signature covers none.
        Assert.Empty(put["headers"]!.AsObject());
        return JsonNode.Parse(put["body"]!.GetValue<string>())!;
    }

    [Fact]
    public async Task Answers_cloudformation_with_the_base64_der_public_key_when_created()
    {
        var run = await _reader.InvokeAsync(Request("Create"), fakes: Key("ECC_NIST_P256", "SIGN_VERIFY"));

        Assert.Null(run.Error);
        var kms = Assert.Single(run.Calls, c => c!["command"]!.GetValue<string>() == "GetPublicKeyCommand")!;
        Assert.Equal(KeyArn, kms["input"]!["KeyId"]!.GetValue<string>());
        var answer = Answer(run);
        Assert.Equal("SUCCESS", answer["Status"]!.GetValue<string>());
        Assert.Equal(Convert.ToBase64String(Der), answer["Data"]!["PublicKey"]!.GetValue<string>());
        Assert.Equal(KeyArn, answer["PhysicalResourceId"]!.GetValue<string>());
        Assert.Equal("req-1", answer["RequestId"]!.GetValue<string>());
        Assert.Equal("SigningUpdateKeyPublicKey", answer["LogicalResourceId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Fails_the_deployment_with_the_reason_when_the_key_is_not_a_p256_signing_key()
    {
        var run = await _reader.InvokeAsync(Request("Update"), fakes: Key("RSA_2048", "SIGN_VERIFY"));

        var answer = Answer(run);
        Assert.Equal("FAILED", answer["Status"]!.GetValue<string>());
        Assert.Contains("not ECC_NIST_P256/SIGN_VERIFY", answer["Reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(answer["Data"]!["PublicKey"]);
    }

    [Fact]
    public async Task Fails_the_deployment_when_kms_refuses()
    {
        var fakes = new JsonObject { ["GetPublicKeyCommand"] = new JsonObject { ["error"] = "AccessDeniedException", ["message"] = "not allowed" } };
        var answer = Answer(await _reader.InvokeAsync(Request("Create"), fakes: fakes));

        Assert.Equal("FAILED", answer["Status"]!.GetValue<string>());
        Assert.Equal("AccessDeniedException: not allowed", answer["Reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Succeeds_without_calling_kms_when_deleted()
    {
        var run = await _reader.InvokeAsync(Request("Delete"));

        Assert.DoesNotContain(run.Calls, c => c!["command"]!.GetValue<string>() == "GetPublicKeyCommand");
        var answer = Answer(run);
        Assert.Equal("SUCCESS", answer["Status"]!.GetValue<string>());
        Assert.Equal("0b1c2d3e-aaaa-bbbb-cccc-111122223333", answer["PhysicalResourceId"]!.GetValue<string>());
    }
}

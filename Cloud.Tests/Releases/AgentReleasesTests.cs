using System.Text.Json.Nodes;
using ShelfAgent.Cloud.Releases;

namespace ShelfAgent.Cloud.Tests.Releases;

/// <summary>The agent release bucket, the update key, the release-signer role and the agent-update job template on the template.</summary>
[Collection(CdkSynth.Name)]
public sealed class AgentReleasesTests(SynthFixture synth)
{
    private string BucketId => synth.LogicalId("AWS::S3::Bucket", "AgentReleasesBucket");

    private string UpdateKeyId => synth.LogicalId("AWS::KMS::Key", "SigningUpdateKey");

    private JsonObject TemplateProps => synth.PropertiesOf("AWS::IoT::JobTemplate", "AgentReleasesJobTemplate");

    /// <summary>Every (role, action, resource) an IAM policy of the stack allows.</summary>
    internal static IEnumerable<(string Role, string Action, string Resource)> Grants(SynthFixture fixture) =>
        fixture.OfType("AWS::IAM::Policy").SelectMany(p =>
            p.Value["Properties"]!["Roles"]!.AsArray().Select(r => Cfn.Render(r)[2..^1]).SelectMany(role =>
                Cfn.Statements(p.Value["Properties"]!["PolicyDocument"]!)
                    .SelectMany(s => s.Actions.SelectMany(a => s.Resources.Select(res => (role, a, res))))));

    [Fact]
    public void Release_bucket_is_versioned_encrypted_private_and_tls_only_when_synthesized()
    {
        var props = synth.PropertiesOf("AWS::S3::Bucket", "AgentReleasesBucket");
        Assert.Equal("Enabled", props["VersioningConfiguration"]!["Status"]!.GetValue<string>());
        Assert.Equal("AES256", props["BucketEncryption"]!["ServerSideEncryptionConfiguration"]![0]!["ServerSideEncryptionByDefault"]!["SSEAlgorithm"]!
            .GetValue<string>());
        var block = props["PublicAccessBlockConfiguration"]!.AsObject();
        Assert.All(new[] { "BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets" },
            k => Assert.True(block[k]!.GetValue<bool>(), k));
        Assert.Equal("Retain", synth.ResourceMap[BucketId]!["DeletionPolicy"]!.GetValue<string>());

        var policy = synth.OfType("AWS::S3::BucketPolicy").Single(p => Cfn.Render(p.Value["Properties"]!["Bucket"]) == "${" + BucketId + "}");
        var deny = Assert.Single(policy.Value["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray(), s => s!["Effect"]!.GetValue<string>() == "Deny");
        Assert.Equal("false", deny!["Condition"]!["Bool"]!["aws:SecureTransport"]!.GetValue<string>());
    }

    [Fact]
    public void Update_key_is_an_ecdsa_p256_signing_key_named_shelf_update_and_kept_when_synthesized()
    {
        var key = synth.ResourceMap[UpdateKeyId]!;
        Assert.Equal("ECC_NIST_P256", key["Properties"]!["KeySpec"]!.GetValue<string>());
        Assert.Equal("SIGN_VERIFY", key["Properties"]!["KeyUsage"]!.GetValue<string>());
        Assert.Equal("Retain", key["DeletionPolicy"]!.GetValue<string>());
        var alias = synth.OfType("AWS::KMS::Alias").Single(a => Cfn.Render(a.Value["Properties"]!["TargetKeyId"]) == "${" + UpdateKeyId + ".Arn}");
        Assert.Equal(AgentReleases.KeyAlias, alias.Value["Properties"]!["AliasName"]!.GetValue<string>());
        Assert.Equal("alias/shelf-update", AgentReleases.KeyAlias);
    }

    [Fact]
    public void Update_key_public_half_is_a_stack_output_for_update_trusted_keys_when_synthesized()
    {
        var output = synth.Json["Outputs"]![AgentReleases.TrustedKeyOutput]!;
        var reader = Cfn.Render(output["Value"]);
        Assert.EndsWith(".PublicKey}", reader, StringComparison.Ordinal);
        var resource = synth.ResourceMap[reader[2..^".PublicKey}".Length]]!;
        Assert.Equal("Custom::KmsPublicKey", resource["Type"]!.GetValue<string>());
        Assert.Equal("${" + UpdateKeyId + ".Arn}", Cfn.Render(resource["Properties"]!["KeyId"]));
        Assert.Contains("Update:TrustedKeys", output["Description"]!.GetValue<string>(), StringComparison.Ordinal);

        // The reader may read public halves and nothing else of KMS.
        var readerRole = synth.OfType("AWS::Lambda::Function").Single(f => f.Key.StartsWith("SigningPublicKeyReader", StringComparison.Ordinal));
        var readerRoleId = SynthFixture.RoleIdOf(readerRole.Value["Properties"]!["Role"]);
        var kms = Grants(synth).Where(g => g.Role == readerRoleId && g.Action.StartsWith("kms:", StringComparison.Ordinal)).ToList();
        Assert.All(kms, g => Assert.Equal("kms:GetPublicKey", g.Action));
        Assert.Contains(kms, g => g.Resource == "${" + UpdateKeyId + ".Arn}");
    }

    [Fact]
    public void Only_the_release_signer_may_sign_with_the_update_key_and_it_uploads_archives_only_when_synthesized()
    {
        var signers = Grants(synth).Where(g => g.Action is "kms:Sign" or "kms:*" && g.Resource == "${" + UpdateKeyId + ".Arn}").Select(g => g.Role).Distinct();
        var signer = synth.OfType("AWS::IAM::Role").Single(r => r.Value["Properties"]!["RoleName"]?.GetValue<string>() == "shelfagent-test-release-signer").Key;
        Assert.Equal([signer], signers);
        Assert.DoesNotContain(Grants(synth), g => g.Action is "kms:Sign" or "kms:*" && g.Resource == "*");

        var writes = Grants(synth).Where(g => g.Role == signer && g.Action.StartsWith("s3:Put", StringComparison.Ordinal)).Select(g => g.Resource).Distinct();
        Assert.Equal(["${" + BucketId + ".Arn}/releases/*"], writes);
        Assert.DoesNotContain(Grants(synth), g => g.Role == signer && g.Action.Contains("Delete", StringComparison.Ordinal));
    }

    [Fact]
    public void Agent_update_template_rolls_out_exponentially_and_aborts_on_failures_when_synthesized()
    {
        var props = TemplateProps;
        Assert.Equal("ShelfAgentUpdate-test", props["JobTemplateId"]!.GetValue<string>());
        var rate = props["JobExecutionsRolloutConfig"]!["ExponentialRolloutRate"]!;
        Assert.Equal(10, rate["BaseRatePerMinute"]!.GetValue<int>());
        Assert.Equal(2, rate["IncrementFactor"]!.GetValue<double>());
        Assert.Equal(10, rate["RateIncreaseCriteria"]!["NumberOfSucceededThings"]!.GetValue<int>());
        Assert.Equal(200, props["JobExecutionsRolloutConfig"]!["MaximumPerMinute"]!.GetValue<int>());
        var abort = Assert.Single(props["AbortConfig"]!["CriteriaList"]!.AsArray())!;
        Assert.Equal("FAILED", abort["FailureType"]!.GetValue<string>());
        Assert.Equal("CANCEL", abort["Action"]!.GetValue<string>());
        Assert.Equal(5, abort["ThresholdPercentage"]!.GetValue<double>());
        Assert.Equal(20, abort["MinNumberOfExecutedThings"]!.GetValue<int>());
        // Download, unpack, restart and the 300 s health window fit in the timeout.
        Assert.True(props["TimeoutConfig"]!["InProgressTimeoutInMinutes"]!.GetValue<int>() * 60 > 300 + 600);
    }

    [Fact]
    public void Agent_update_document_points_at_the_release_bucket_through_the_presigned_url_placeholder_when_synthesized()
    {
        var document = JsonNode.Parse(Cfn.Render(TemplateProps["Document"]))!;
        Assert.Equal("agent-update", document["operation"]!.GetValue<string>());
        Assert.StartsWith("${aws:iot:s3-presigned-url:https://${" + BucketId + "}.s3.amazonaws.com/releases/",
            document["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("}", document["url"]!.GetValue<string>(), StringComparison.Ordinal);
        foreach (var field in new[] { "version", "size", "sha256", "signature" })
        {
            Assert.NotNull(document[field]);
        }
    }

    [Fact]
    public void Presigned_url_role_may_only_read_release_archives_when_synthesized()
    {
        var presigned = TemplateProps["PresignedUrlConfig"]!;
        Assert.Equal(3600, presigned["ExpiresInSec"]!.GetValue<int>());
        var role = SynthFixture.RoleIdOf(presigned["RoleArn"]);
        var trust = synth.ResourceMap[role]!["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]![0]!;
        Assert.Equal("iot.amazonaws.com", trust["Principal"]!["Service"]!.GetValue<string>());
        Assert.Equal("${AWS::AccountId}", Cfn.Render(trust["Condition"]!["StringEquals"]!["aws:SourceAccount"]));
        var grants = Grants(synth).Where(g => g.Role == role).ToList();
        Assert.Equal([("s3:GetObject", "${" + BucketId + ".Arn}/releases/*")], grants.Select(g => (g.Action, g.Resource)));
    }
}

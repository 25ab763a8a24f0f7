using System.Text.Json.Nodes;
using ShelfAgent.Cloud.Governance;
using ShelfAgent.Cloud.Releases;

namespace ShelfAgent.Cloud.Tests.Releases;

/// <summary>The model signing key, who may sign with it, and the profiles-update job template on the template.</summary>
[Collection(CdkSynth.Name)]
public sealed class ProfileReleasesTests(SynthFixture synth)
{
    private string ProfilesKeyId => synth.LogicalId("AWS::KMS::Key", "SigningProfilesKey");

    private string ModelBucketId => synth.LogicalId("AWS::S3::Bucket", "LakeBucketsModelArtifacts");

    private JsonObject TemplateProps => synth.PropertiesOf("AWS::IoT::JobTemplate", "ProfileReleasesJobTemplate");

    private string RoleOf(string profile) =>
        synth.OfType("AWS::IAM::Role").Single(r => r.Value["Properties"]!["RoleName"]?.GetValue<string>() == $"shelfagent-test-{profile}").Key;

    [Fact]
    public void Profiles_key_is_its_own_ecdsa_p256_key_named_shelf_profiles_with_its_public_half_as_output_when_synthesized()
    {
        var key = synth.ResourceMap[ProfilesKeyId]!["Properties"]!;
        Assert.Equal("ECC_NIST_P256", key["KeySpec"]!.GetValue<string>());
        Assert.Equal("SIGN_VERIFY", key["KeyUsage"]!.GetValue<string>());
        Assert.NotEqual(synth.LogicalId("AWS::KMS::Key", "SigningUpdateKey"), ProfilesKeyId);
        var alias = synth.OfType("AWS::KMS::Alias").Single(a => Cfn.Render(a.Value["Properties"]!["TargetKeyId"]) == "${" + ProfilesKeyId + ".Arn}");
        Assert.Equal("alias/shelf-profiles", alias.Value["Properties"]!["AliasName"]!.GetValue<string>());

        var output = synth.Json["Outputs"]![ProfileReleases.TrustedKeyOutput]!;
        var reader = Cfn.Render(output["Value"]);
        var resource = synth.ResourceMap[reader[2..^".PublicKey}".Length]]!;
        Assert.Equal("${" + ProfilesKeyId + ".Arn}", Cfn.Render(resource["Properties"]!["KeyId"]));
        Assert.Contains("Profiles:TrustedKeys", output["Description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Only_a_profile_that_may_approve_and_the_canary_function_its_approval_starts_can_sign_with_the_profiles_key_when_synthesized()
    {
        var signers = AgentReleasesTests.Grants(synth)
            .Where(g => g.Action is "kms:Sign" or "kms:*" && g.Resource == "${" + ProfilesKeyId + ".Arn}")
            .Select(g => g.Role).ToHashSet();
        var approvers = ProfileMatrix.Profiles.Keys.Where(ProfileMatrix.MayApproveRelease).Select(RoleOf).ToHashSet();
        Assert.NotEmpty(approvers);
        // The release-canary function signs what an approver approved: it runs only on an approval.json, which only an
        // approver may write (ProfileRoles), and it refuses a release whose approval does not name it.
        var canary = SynthFixture.RoleIdOf(synth.OfType("AWS::Lambda::Function")
            .Single(f => f.Key.StartsWith("ReleaseCanaryFunction", StringComparison.Ordinal)).Value["Properties"]!["Role"]);
        Assert.Equal([.. approvers, canary], signers);
        Assert.False(ProfileMatrix.MayApproveRelease(ProfileMatrix.DataScientist));
    }

    [Fact]
    public void Approver_publishes_signed_artifacts_and_starts_profiles_jobs_only_when_synthesized()
    {
        var approver = RoleOf(ProfileMatrix.MlEngineer);
        var grants = AgentReleasesTests.Grants(synth).Where(g => g.Role == approver).ToList();
        Assert.Contains(("s3:PutObject", "${" + ModelBucketId + ".Arn}/profiles/*"), grants.Select(g => (g.Action, g.Resource)));
        var jobs = grants.Where(g => g.Action == "iot:CreateJob").Select(g => g.Resource).ToList();
        Assert.Contains("arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}:job/profiles-*", jobs);
        Assert.Contains("${" + synth.LogicalId("AWS::IoT::JobTemplate", "ProfileReleasesJobTemplate") + ".Arn}", jobs);
        Assert.DoesNotContain(jobs, r => r.EndsWith(":job/*", StringComparison.Ordinal));
        var download = SynthFixture.RoleIdOf(TemplateProps["PresignedUrlConfig"]!["RoleArn"]);
        Assert.Equal(["${" + download + ".Arn}"], grants.Where(g => g.Action == "iam:PassRole").Select(g => g.Resource));

        // Proposers cannot: no artifact write, no job.
        var scientist = AgentReleasesTests.Grants(synth).Where(g => g.Role == RoleOf(ProfileMatrix.DataScientist)).ToList();
        Assert.DoesNotContain(scientist,
            g => g.Action.StartsWith("iot:", StringComparison.Ordinal) || g.Resource.Contains("/profiles/", StringComparison.Ordinal));
    }

    [Fact]
    public void Profiles_update_template_carries_the_contract_fields_and_reads_signed_artifacts_only_when_synthesized()
    {
        var props = TemplateProps;
        Assert.Equal("ShelfAgentProfilesUpdate-test", props["JobTemplateId"]!.GetValue<string>());
        var document = JsonNode.Parse(Cfn.Render(props["Document"]))!.AsObject();
        Assert.Equal("profiles-update", document["operation"]!.GetValue<string>());
        Assert.Equal(["operation", "release", "url", "size", "sha256", "signature"], document.Select(p => p.Key));
        Assert.Equal("${aws:iot:s3-presigned-url:https://${" + ModelBucketId + "}.s3.amazonaws.com/profiles/RELEASE/STORE.json}",
            document["url"]!.GetValue<string>());
        Assert.NotNull(props["JobExecutionsRolloutConfig"]!["ExponentialRolloutRate"]);
        Assert.Equal("FAILED", props["AbortConfig"]!["CriteriaList"]![0]!["FailureType"]!.GetValue<string>());

        var download = SynthFixture.RoleIdOf(props["PresignedUrlConfig"]!["RoleArn"]);
        var grants = AgentReleasesTests.Grants(synth).Where(g => g.Role == download).Select(g => (g.Action, g.Resource));
        Assert.Equal([("s3:GetObject", "${" + ModelBucketId + ".Arn}/profiles/*")], grants);
    }
}

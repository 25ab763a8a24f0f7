using System.Text.Json.Nodes;
using ShelfAgent.Cloud.Releases;

namespace ShelfAgent.Cloud.Tests.Releases;

/// <summary>The release canary's function, its permissions and the approval event that starts it, on the template.</summary>
[Collection(CdkSynth.Name)]
public sealed class ReleaseCanaryTests(SynthFixture synth)
{
    private KeyValuePair<string, JsonObject> Function =>
        synth.OfType("AWS::Lambda::Function").Single(f => f.Key.StartsWith("ReleaseCanaryFunction", StringComparison.Ordinal));

    private string ModelBucket => synth.LogicalId("AWS::S3::Bucket", "LakeBucketsModelArtifacts");

    private List<(string Action, string Resource)> Grants =>
        AgentReleasesTests.Grants(synth).Where(g => g.Role == SynthFixture.RoleIdOf(Function.Value["Properties"]!["Role"]))
            .Select(g => (g.Action, g.Resource)).ToList();

    [Fact]
    public void Function_ships_the_tested_code_as_an_asset_with_the_canary_share_when_synthesized()
    {
        var props = Function.Value["Properties"]!;
        Assert.Equal(InlineNodeFunction.Runtime.Name, props["Runtime"]!.GetValue<string>());
        var key = props["Code"]!["S3Key"]!.GetValue<string>();
        var staged = Path.Combine(Path.GetDirectoryName(synth.TemplatePath)!, "asset." + key[..^".zip".Length], "index.js");
        Assert.Equal(LambdaSource.Read(LambdaSource.ReleaseCanary), File.ReadAllText(staged));
        Assert.True(LambdaSource.Read(LambdaSource.ReleaseCanary).Length > LambdaSource.InlineLimitBytes, "inline it if it fits");
        var env = props["Environment"]!["Variables"]!;
        Assert.Equal("0.1", env["CANARY_SHARE"]!.GetValue<string>());
        Assert.Equal("${" + synth.LogicalId("AWS::KMS::Key", "SigningProfilesKey") + ".Arn}", Cfn.Render(env["KEY_ID"]));
        Assert.Equal("${" + synth.LogicalId("AWS::IoT::JobTemplate", "ProfileReleasesJobTemplate") + ".Arn}", Cfn.Render(env["TEMPLATE_ARN"]));
        Assert.Equal("${" + ModelBucket + "}", Cfn.Render(env["BUCKET"]));
    }

    [Fact]
    public void Function_may_read_releases_write_only_artifacts_and_rollout_records_sign_with_the_profiles_key_and_start_profiles_jobs()
    {
        var grants = Grants;
        var model = "${" + ModelBucket + ".Arn}";
        var writes = grants.Where(g => g.Action == "s3:PutObject").Select(g => g.Resource).Order(StringComparer.Ordinal);
        Assert.Equal([model + "/profiles/*", model + "/releases/*/rollout.json"], writes);
        Assert.Equal([model + "/releases/*"], grants.Where(g => g.Action == "s3:GetObject").Select(g => g.Resource));
        Assert.Equal([("kms:Sign", "${" + synth.LogicalId("AWS::KMS::Key", "SigningProfilesKey") + ".Arn}")],
            grants.Where(g => g.Action.StartsWith("kms:", StringComparison.Ordinal)));
        var jobs = grants.Where(g => g.Action == "iot:CreateJob").Select(g => g.Resource).ToList();
        Assert.Contains("arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}:job/profiles-*", jobs);
        Assert.Contains("${" + synth.LogicalId("AWS::IoT::JobTemplate", "ProfileReleasesJobTemplate") + ".Arn}", jobs);
        Assert.DoesNotContain(jobs, r => r.EndsWith(":job/*", StringComparison.Ordinal));
        // ListThings has no resource-level permissions; nothing else is granted on "*".
        Assert.Equal(["iot:ListThings"], grants.Where(g => g.Resource == "*").Select(g => g.Action).Distinct());
        Assert.DoesNotContain(grants, g => g.Action.Contains("Delete", StringComparison.Ordinal) || g.Action.EndsWith('*'));
        Assert.Contains(("events:PutEvents", "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default"), grants);
    }

    [Fact]
    public void Writing_an_approval_invokes_the_function_through_eventbridge_when_synthesized()
    {
        var bucket = synth.PropertiesOf("AWS::S3::Bucket", "LakeBucketsModelArtifacts");
        Assert.True(bucket["NotificationConfiguration"]!["EventBridgeConfiguration"]!["EventBridgeEnabled"]!.GetValue<bool>());
        Assert.Empty(synth.OfType("Custom::S3BucketNotifications"));

        var rule = synth.OfType("AWS::Events::Rule").Single(r => r.Key.StartsWith("ReleaseCanaryOnApproval", StringComparison.Ordinal));
        var props = rule.Value["Properties"]!;
        Assert.Equal("shelfagent-test-release-approved", props["Name"]!.GetValue<string>());
        var pattern = props["EventPattern"]!;
        Assert.Equal("aws.s3", pattern["source"]![0]!.GetValue<string>());
        Assert.Equal("Object Created", pattern["detail-type"]![0]!.GetValue<string>());
        Assert.Equal("${" + ModelBucket + "}", Cfn.Render(pattern["detail"]!["bucket"]!["name"]![0]));
        Assert.Equal("releases/*/approval.json", pattern["detail"]!["object"]!["key"]![0]!["wildcard"]!.GetValue<string>());
        var target = Assert.Single(props["Targets"]!.AsArray())!;
        Assert.Equal("${" + Function.Key + ".Arn}", Cfn.Render(target["Arn"]));
        Assert.NotNull(target["RetryPolicy"]);

        var permission = synth.OfType("AWS::Lambda::Permission").Select(p => p.Value["Properties"]!)
            .Single(p => Cfn.Render(p["FunctionName"]) == "${" + Function.Key + ".Arn}");
        Assert.Equal("events.amazonaws.com", permission["Principal"]!.GetValue<string>());
        Assert.Equal("${" + rule.Key + ".Arn}", Cfn.Render(permission["SourceArn"]));
    }

    [Fact]
    public void Canary_notices_reach_the_ml_engineers_topic_when_synthesized()
    {
        var rule = synth.PropertiesOf("AWS::Events::Rule", "ReleaseWatchNoticeRule");
        var types = rule["EventPattern"]!["detail-type"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
        Assert.Contains(ReleaseCanary.Started, types);
        Assert.Contains(ReleaseCanary.Refused, types);
        Assert.Contains(ReleaseCanary.Queued, types);
        Assert.NotNull(synth.Json["Resources"]![synth.LogicalId("AWS::CloudWatch::Alarm", "MonitoringFunctionErrorsreleasecanary")]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Canary_share_outside_zero_to_one_is_refused_with_the_context_key(double share)
    {
        var error = Assert.Throws<ArgumentException>(() => ReleaseCanary.CheckShare(share));
        Assert.Contains("canaryShare", error.Message, StringComparison.Ordinal);
    }
}

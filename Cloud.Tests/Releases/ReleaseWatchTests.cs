using System.Text.Json.Nodes;
using ShelfAgent.Cloud.Releases;

namespace ShelfAgent.Cloud.Tests.Releases;

/// <summary>The release watch's function, schedule, permissions and notice on the template.</summary>
[Collection(CdkSynth.Name)]
public sealed class ReleaseWatchTests(SynthFixture synth)
{
    private KeyValuePair<string, JsonObject> Function =>
        synth.OfType("AWS::Lambda::Function").Single(f => f.Key.StartsWith("ReleaseWatchFunction", StringComparison.Ordinal));

    private List<(string Action, string Resource)> Grants =>
        AgentReleasesTests.Grants(synth).Where(g => g.Role == SynthFixture.RoleIdOf(Function.Value["Properties"]!["Role"]))
            .Select(g => (g.Action, g.Resource)).ToList();

    [Fact]
    public void Function_ships_the_tested_code_as_an_asset_on_the_supported_runtime_when_synthesized()
    {
        var props = Function.Value["Properties"]!;
        Assert.Equal(InlineNodeFunction.Runtime.Name, props["Runtime"]!.GetValue<string>());
        var key = props["Code"]!["S3Key"]!.GetValue<string>();
        var staged = Path.Combine(Path.GetDirectoryName(synth.TemplatePath)!, "asset." + key[..^".zip".Length], "index.js");
        Assert.Equal(LambdaSource.Read(LambdaSource.ReleaseWatch), File.ReadAllText(staged));
        Assert.True(LambdaSource.Read(LambdaSource.ReleaseWatch).Length > LambdaSource.InlineLimitBytes, "inline it again if it fits");
        var env = props["Environment"]!["Variables"]!;
        Assert.Equal("3", env["WATCH_DAYS"]!.GetValue<string>());
        Assert.Equal(ReleaseHealthQuery.Sql, env["QUERY_SQL"]!.GetValue<string>());
        Assert.Equal("${" + synth.LogicalId("AWS::IoT::JobTemplate", "ProfileReleasesJobTemplate") + ".Arn}", Cfn.Render(env["TEMPLATE_ARN"]));
        var envBytes = env.AsObject().Sum(v => v.Key.Length + Cfn.Render(v.Value).Length);
        Assert.True(envBytes < 4096, $"{envBytes} bytes of environment");
        var pollSeconds = double.Parse(env["POLL_LIMIT"]!.GetValue<string>()) * double.Parse(env["POLL_MS"]!.GetValue<string>()) / 1000;
        Assert.True(pollSeconds < props["Timeout"]!.GetValue<double>());
    }

    [Fact]
    public void Runs_daily_after_curation_and_prediction_health_when_scheduled()
    {
        var schedule = synth.PropertiesOf("AWS::Scheduler::Schedule", "ReleaseWatchDaily");
        Assert.Equal(ReleaseWatch.Cron, schedule["ScheduleExpression"]!.GetValue<string>());
        Assert.Equal("${" + Function.Key + ".Arn}", Cfn.Render(schedule["Target"]!["Arn"]));
        var role = SynthFixture.RoleIdOf(schedule["Target"]!["RoleArn"]);
        var grants = synth.RoleStatements(role).SelectMany(s => s.Actions.SelectMany(a => s.Resources.Select(r => (a, r))));
        Assert.Equal([("lambda:InvokeFunction", "${" + Function.Key + ".Arn}")], grants);
    }

    [Fact]
    public void Function_may_start_only_profiles_jobs_and_write_only_rollout_records_when_synthesized()
    {
        var grants = Grants;
        var model = "${" + synth.LogicalId("AWS::S3::Bucket", "LakeBucketsModelArtifacts") + ".Arn}";
        var writes = grants.Where(g => g.Action == "s3:PutObject" && g.Resource.StartsWith(model, StringComparison.Ordinal)).Select(g => g.Resource);
        Assert.Equal([model + "/releases/*/rollout.json"], writes);
        Assert.Contains(("s3:GetObject", model + "/profiles/*"), grants);
        var jobs = grants.Where(g => g.Action == "iot:CreateJob").Select(g => g.Resource).ToList();
        Assert.Contains("arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}:job/profiles-*", jobs);
        Assert.DoesNotContain(jobs, r => r.EndsWith(":job/*", StringComparison.Ordinal));
        Assert.DoesNotContain(grants, g => g.Action.StartsWith("kms:", StringComparison.Ordinal));
        Assert.DoesNotContain(grants, g => g.Action.Contains("Delete", StringComparison.Ordinal) || g.Action.EndsWith('*'));
        Assert.Contains(("events:PutEvents", "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default"), grants);
    }

    [Fact]
    public void Function_may_invoke_only_the_canary_function_and_read_approvals_but_no_proposal_when_synthesized()
    {
        var canary = synth.OfType("AWS::Lambda::Function").Single(f => f.Key.StartsWith("ReleaseCanaryFunction", StringComparison.Ordinal)).Key;
        Assert.Equal("${" + canary + "}", Cfn.Render(Function.Value["Properties"]!["Environment"]!["Variables"]!["CANARY_FUNCTION"]));
        var grants = Grants;
        Assert.Equal(["${" + canary + ".Arn}"], grants.Where(g => g.Action == "lambda:InvokeFunction").Select(g => g.Resource));
        Assert.DoesNotContain(grants, g => g.Action.StartsWith("lambda:", StringComparison.Ordinal) && g.Action != "lambda:InvokeFunction");
        var model = "${" + synth.LogicalId("AWS::S3::Bucket", "LakeBucketsModelArtifacts") + ".Arn}";
        var reads = grants.Where(g => g.Action == "s3:GetObject" && g.Resource.StartsWith(model, StringComparison.Ordinal)).Select(g => g.Resource);
        Assert.Equal([model + "/profiles/*", model + "/releases/*/approval.json", model + "/releases/*/rollout.json"], reads.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Verdicts_reach_the_ml_engineers_topic_over_tls_when_synthesized()
    {
        var rule = synth.PropertiesOf("AWS::Events::Rule", "ReleaseWatchNoticeRule");
        Assert.Equal("shelfagent-test-release-decided", rule["Name"]!.GetValue<string>());
        Assert.Equal(ReleaseWatch.EventSource, rule["EventPattern"]!["source"]![0]!.GetValue<string>());
        var topic = "${" + synth.LogicalId("AWS::SNS::Topic", "ReleaseWatchNotices") + "}";
        Assert.Equal(topic, Cfn.Render(rule["Targets"]![0]!["Arn"]));
        var policy = synth.OfType("AWS::SNS::TopicPolicy").Single(p => Cfn.List(p.Value["Properties"]!["Topics"]).Contains(topic));
        var statements = policy.Value["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray();
        Assert.Contains(statements, s => s!["Effect"]!.GetValue<string>() == "Deny"
                                         && s["Condition"]!["Bool"]!["aws:SecureTransport"]!.GetValue<string>() == "false");
        Assert.Contains(statements, s => Cfn.Render(s!["Condition"]?["ArnLike"]?["aws:SourceArn"]).EndsWith(":rule/shelfagent-test-release-decided",
            StringComparison.Ordinal));
        Assert.NotNull(synth.Json["Outputs"]!["ReleaseNoticesTopicArn"]);
    }

    [Fact]
    public void Release_health_is_a_named_query_too_when_synthesized()
    {
        var named = synth.OfType("AWS::Athena::NamedQuery").Select(q => q.Value["Properties"]!)
            .Single(q => q["Name"]!.GetValue<string>() == ReleaseHealthQuery.Name);
        Assert.Equal(ReleaseHealthQuery.Sql, Cfn.Render(named["QueryString"]));
        Assert.Contains("profile", ReleaseHealthQuery.Sql, StringComparison.Ordinal);
    }
}

using System.Text.Json.Nodes;
using ShelfAgent.Cloud.Releases;

namespace ShelfAgent.Cloud.Tests.Releases;

/// <summary>The evaluation of proposed releases on the template: the trigger, the Fargate task, its image, role and failure notice.</summary>
[Collection(CdkSynth.Name)]
public sealed class ReleaseEvaluationTests(SynthFixture synth)
{
    private string ModelBucket => synth.LogicalId("AWS::S3::Bucket", "LakeBucketsModelArtifacts");

    private JsonObject TaskDefinition => synth.PropertiesOf("AWS::ECS::TaskDefinition", "ReleaseEvaluationTask");

    private JsonObject Trigger => synth.PropertiesOf("AWS::Events::Rule", "ReleaseEvaluationTrigger");

    private List<(string Action, string Resource)> TaskGrants =>
        AgentReleasesTests.Grants(synth).Where(g => g.Role == SynthFixture.RoleIdOf(TaskDefinition["TaskRoleArn"]))
            .Select(g => (g.Action, g.Resource)).ToList();

    [Fact]
    public void Proposal_record_arriving_in_the_model_bucket_runs_one_fargate_task_with_its_key_when_synthesized()
    {
        var bucket = synth.PropertiesOf("AWS::S3::Bucket", "LakeBucketsModelArtifacts");
        Assert.True(bucket["NotificationConfiguration"]!["EventBridgeConfiguration"]!["EventBridgeEnabled"]!.GetValue<bool>());
        Assert.Empty(synth.OfType("Custom::S3BucketNotifications"));

        var rule = Trigger;
        var pattern = rule["EventPattern"]!;
        Assert.Equal("aws.s3", pattern["source"]![0]!.GetValue<string>());
        Assert.Equal("Object Created", pattern["detail-type"]![0]!.GetValue<string>());
        Assert.Equal("${" + ModelBucket + "}", Cfn.Render(pattern["detail"]!["bucket"]!["name"]![0]));
        Assert.Equal("releases/*/proposal/release.json", pattern["detail"]!["object"]!["key"]![0]!["wildcard"]!.GetValue<string>());

        var target = rule["Targets"]!.AsArray().Single()!;
        Assert.Equal("${" + synth.LogicalId("AWS::ECS::Cluster", "ReleaseEvaluationCluster") + ".Arn}", Cfn.Render(target["Arn"]));
        var ecs = target["EcsParameters"]!;
        Assert.Equal("FARGATE", ecs["LaunchType"]!.GetValue<string>());
        Assert.Equal(1, ecs["TaskCount"]!.GetValue<int>());
        Assert.Equal("ENABLED", ecs["NetworkConfiguration"]!["AwsVpcConfiguration"]!["AssignPublicIp"]!.GetValue<string>());
        Assert.Equal("$.detail.object.key", target["InputTransformer"]!["InputPathsMap"]!.AsObject().Single().Value!.GetValue<string>());
        var overrides = JsonNode.Parse(target["InputTransformer"]!["InputTemplate"]!.GetValue<string>().Replace("<detail-object-key>", "\"k\"",
            StringComparison.Ordinal))!;
        Assert.Equal(ReleaseEvaluation.ContainerName, overrides["containerOverrides"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(ReleaseEvaluation.ReleaseKeyVariable, overrides["containerOverrides"]![0]!["environment"]![0]!["name"]!.GetValue<string>());
        Assert.True(target["RetryPolicy"]!["MaximumRetryAttempts"]!.GetValue<int>() > 0);
    }

    [Fact]
    public void Task_runs_the_entry_script_image_built_from_the_repository_with_logs_and_names_when_synthesized()
    {
        var task = TaskDefinition;
        Assert.Equal(["FARGATE"], Cfn.List(task["RequiresCompatibilities"]));
        var container = task["ContainerDefinitions"]!.AsArray().Single()!;
        Assert.Equal(ReleaseEvaluation.ContainerName, container["name"]?.GetValue<string>() ?? container["Name"]!.GetValue<string>());
        var env = container["Environment"]!.AsArray().ToDictionary(e => e!["Name"]!.GetValue<string>(), e => Cfn.Render(e!["Value"]));
        Assert.Equal("${" + ModelBucket + "}", env["BUCKET"]);
        Assert.Equal("shelfagent-test-pipeline", env["WORKGROUP"]);
        Assert.Equal("shelfagent_test", env["DATABASE"]);
        Assert.Equal("awslogs", container["LogConfiguration"]!["LogDriver"]!.GetValue<string>());

        // The image is a Docker asset staged at synth (no daemon needed): the repository's Dockerfile and entry script,
        // the projects local-lake builds from, none of the build outputs, tests or git history.
        var hash = System.Text.RegularExpressions.Regex.Match(Cfn.Render(container["Image"]), ":([0-9a-f]{64})").Groups[1].Value;
        var staged = Path.Combine(Path.GetDirectoryName(synth.TemplatePath)!, "asset." + hash);
        Assert.True(Directory.Exists(staged), staged);
        Assert.Equal(File.ReadAllText(RepoFiles.PathOf("Tools", "LocalLake", "aws", "evaluate-release.sh")),
            File.ReadAllText(Path.Combine(staged, "Tools", "LocalLake", "aws", "evaluate-release.sh")));
        Assert.True(File.Exists(Path.Combine(staged, "Tools", "LocalLake", "aws", "Dockerfile")));
        Assert.True(File.Exists(Path.Combine(staged, "Tools", "LocalLake", "LocalLake.csproj")));
        Assert.True(File.Exists(Path.Combine(staged, "Agent", "Agent.csproj")));
        Assert.True(File.Exists(Path.Combine(staged, "Directory.Packages.props")));
        var names = Directory.EnumerateFileSystemEntries(staged, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(staged, p).Split(Path.DirectorySeparatorChar)).ToList();
        Assert.DoesNotContain(names, n => n.Contains("bin") || n.Contains("obj") || n.Contains(".git") || n[0].EndsWith(".Tests", StringComparison.Ordinal)
                                          || n is ["Tools", "LocalLake.Tests", ..] || n[0] is "Simulator" or "docs" or "certs");
        Assert.True(names.Count < 1000, $"{names.Count} files staged");
    }

    [Fact]
    public void Task_role_may_unload_readings_read_releases_and_write_only_metrics_and_its_exports_when_synthesized()
    {
        var grants = TaskGrants;
        var model = "${" + ModelBucket + ".Arn}";
        var writes = grants.Where(g => g.Action == "s3:PutObject" && g.Resource.StartsWith(model, StringComparison.Ordinal)).Select(g => g.Resource).Order();
        Assert.Equal([model + "/exports/evaluate/*", model + "/releases/*/proposal/metrics.json"], writes);
        var reads = grants.Where(g => g.Action == "s3:GetObject" && g.Resource.StartsWith(model, StringComparison.Ordinal)).Select(g => g.Resource).Order();
        Assert.Equal([model + "/exports/evaluate/*", model + "/releases/*/proposal/*", model + "/releases/*/rollout.json"], reads);
        Assert.DoesNotContain(grants, g => g.Resource.EndsWith("approval.json", StringComparison.Ordinal)
                                           || g.Resource.Contains("/profiles/", StringComparison.Ordinal));
        Assert.Contains(("athena:StartQueryExecution", "arn:${AWS::Partition}:athena:${AWS::Region}:${AWS::AccountId}:workgroup/shelfagent-test-pipeline"),
            grants);
        var tables = grants.Where(g => g.Resource.Contains(":table/", StringComparison.Ordinal)).Select(g => g.Resource).Distinct();
        Assert.Equal(["arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:table/shelfagent_test/curated_readings"], tables);
        Assert.DoesNotContain(grants, g => g.Action.StartsWith("kms:", StringComparison.Ordinal) || g.Action.StartsWith("iot:", StringComparison.Ordinal));
        Assert.DoesNotContain(grants, g => g.Action.Contains("Delete", StringComparison.Ordinal) || g.Action.EndsWith('*'));
        Assert.DoesNotContain(grants, g => g.Resource == "*" && g.Action != "lakeformation:GetDataAccess");
    }

    [Fact]
    public void Failed_or_unstarted_tasks_reach_the_ml_engineers_topic_when_synthesized()
    {
        var rule = synth.PropertiesOf("AWS::Events::Rule", "ReleaseEvaluationFailed");
        Assert.Equal("shelfagent-test-release-evaluation-failed", rule["Name"]!.GetValue<string>());
        var detail = rule["EventPattern"]!["detail"]!;
        Assert.Equal("${" + synth.LogicalId("AWS::ECS::Cluster", "ReleaseEvaluationCluster") + ".Arn}", Cfn.Render(detail["clusterArn"]![0]));
        Assert.Equal("STOPPED", detail["lastStatus"]![0]!.GetValue<string>());
        Assert.Equal(0, detail["$or"]![0]!["containers"]!["exitCode"]![0]!["anything-but"]!.GetValue<int>());
        Assert.Equal("TaskFailedToStart", detail["$or"]![1]!["stopCode"]![0]!.GetValue<string>());
        var topic = "${" + synth.LogicalId("AWS::SNS::Topic", "ReleaseWatchNotices") + "}";
        Assert.Equal(topic, Cfn.Render(rule["Targets"]![0]!["Arn"]));
        var policy = synth.OfType("AWS::SNS::TopicPolicy").Single(p => Cfn.List(p.Value["Properties"]!["Topics"]).Contains(topic));
        Assert.Contains(policy.Value["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray(),
            s => Cfn.Render(s!["Condition"]?["ArnLike"]?["aws:SourceArn"])
                .EndsWith(":rule/shelfagent-test-release-evaluation-failed", StringComparison.Ordinal));

        // And an alarm for the on-call: the failure rule matched in the last 15 minutes.
        var alarm = synth.OfType("AWS::CloudWatch::Alarm").Select(a => a.Value["Properties"]!)
            .Single(a => a["MetricName"]?.GetValue<string>() == "TriggeredRules");
        Assert.Equal("AWS/Events", alarm["Namespace"]!.GetValue<string>());
        Assert.Equal("shelfagent-test-release-evaluation-failed", alarm["Dimensions"]![0]!["Value"]!.GetValue<string>());
        Assert.Equal("${" + synth.LogicalId("AWS::SNS::Topic", "MonitoringOpsAlarms") + "}", Cfn.Render(alarm["AlarmActions"]![0]));
    }

    [Fact]
    public void Task_network_accepts_no_connection_and_needs_no_nat_gateway_when_synthesized()
    {
        Assert.Empty(synth.OfType("AWS::EC2::NatGateway"));
        var group = synth.PropertiesOf("AWS::EC2::SecurityGroup", "ReleaseEvaluationTaskSecurityGroup");
        Assert.Null(group["SecurityGroupIngress"]);
        Assert.Empty(synth.OfType("AWS::EC2::SecurityGroupIngress"));
    }
}

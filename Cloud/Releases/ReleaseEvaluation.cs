using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.SNS;
using Constructs;
using ShelfAgent.Cloud.Lake;
using ShelfAgent.Cloud.Learning;
using CfnRule = Amazon.CDK.AWS.Events.CfnRule;
using CfnRuleProps = Amazon.CDK.AWS.Events.CfnRuleProps;
using EcsTask = Amazon.CDK.AWS.Events.Targets.EcsTask;
using EcsTaskProps = Amazon.CDK.AWS.Events.Targets.EcsTaskProps;
using ContainerOverride = Amazon.CDK.AWS.Events.Targets.ContainerOverride;
using TaskEnvironmentVariable = Amazon.CDK.AWS.Events.Targets.TaskEnvironmentVariable;

namespace ShelfAgent.Cloud.Releases;

/// <summary>
/// The evaluation of a proposed profile release in AWS (docs/models.md, step 2), no servers: the proposal's
/// <c>releases/&lt;id&gt;/proposal/release.json</c> (written after profiles.jsonl) arriving in the model-artifacts bucket is
/// an S3 "Object Created" event on the default bus; a rule runs one ECS Fargate task for it (RunTask, the key passed as
/// <c>RELEASE_KEY</c> in the container overrides). The task's container (Tools/LocalLake/aws/Dockerfile: local-lake and
/// the AWS CLI) runs evaluate-release.sh — Athena UNLOAD of the readings, <c>local-lake evaluate --from-lake</c> against
/// the release in service, metrics.json written once. The evaluation is C# (the agent's BacktestRunner), so it cannot be a
/// SQL step; a rule calling RunTask directly is the smallest thing that runs it (no state machine: one step, and the
/// script bounds its own polling). A task that stops with a non-zero exit, or never starts, sends a notice to the ML
/// engineers' topic.
/// </summary>
public sealed class ReleaseEvaluation : Construct
{
    /// <summary>The container's name in the task definition (the rule's override names it).</summary>
    public const string ContainerName = "evaluate";

    /// <summary>The S3 keys that start an evaluation (EventBridge wildcard matching on <c>detail.object.key</c>).</summary>
    public const string TriggerKey = ReleasePaths.Prefix + "*/" + ReleasePaths.Proposal + "/" + ReleasePaths.Record;

    /// <summary>Where the task UNLOADs the readings, one fresh prefix per release and run.</summary>
    public const string ExportPrefix = "exports/evaluate/";

    /// <summary>The environment variable that carries the event's key into the task.</summary>
    public const string ReleaseKeyVariable = "RELEASE_KEY";

    /// <summary>
    /// What the image's build context (the repository root) leaves out, as .dockerignore lines: everything but the projects
    /// local-lake is built from (Agent, Tools/LocalLake, Tools/LocalIotCore and the Cloud sources they compile) and their
    /// build outputs — so the staged asset stays a few MB and its hash moves only with that code.
    /// </summary>
    public static IReadOnlyList<string> ContextExclude { get; } =
    [
        ".git", ".dev", ".tools", ".ci", ".local-iot-core", "**/bin", "**/obj", "**/node_modules", "**/cdk.out", "**/TestResults",
        "*.Tests", "Tools/*.Tests", "Bench", "Simulator", "docs", "certs", "release", "systemd", "publish-profiles", "Cloud/nag",
        "BenchmarkDotNet.Artifacts", "*.sh", "ShelfAgent.sln", "README.md",
    ];

    /// <summary>Creates the cluster, task, trigger rule and failure notice.</summary>
    public ReleaseEvaluation(Construct scope, string id, StageNaming naming, DataLake lake, Topic notices, bool governed)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(naming);
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(notices);
        var bucket = lake.Buckets.ModelArtifacts;
        // The bucket sends its Object Created events to EventBridge (LakeBuckets).

        // Public subnets and a public IP, no NAT gateway: the task only calls AWS APIs (S3, Athena, ECR, CloudWatch Logs)
        // and accepts no connection (its security group has no ingress rule).
        Vpc = new Vpc(this, "Vpc", new VpcProps
        {
            MaxAzs = 2,
            NatGateways = 0,
            SubnetConfiguration = [new SubnetConfiguration { Name = "public", SubnetType = SubnetType.PUBLIC, CidrMask = 24 }],
        });
        SecurityGroup = new SecurityGroup(this, "TaskSecurityGroup", new SecurityGroupProps
        {
            Vpc = Vpc,
            Description = "Profile release evaluation task: no inbound; outbound HTTPS to AWS APIs",
            AllowAllOutbound = true,
        });
        Cluster = new Cluster(this, "Cluster", new ClusterProps { Vpc = Vpc, ClusterName = $"shelfagent-{naming.Stage}-evaluation" });

        Logs = new LogGroup(this, "TaskLogs", new LogGroupProps { Retention = RetentionDays.ONE_MONTH, RemovalPolicy = RemovalPolicy.DESTROY });
        Task = new FargateTaskDefinition(this, "Task", new FargateTaskDefinitionProps
        {
            Cpu = 1024,
            MemoryLimitMiB = 4096,
            // Seven weeks of a fleet's minute readings as Parquet, plus the replay's scratch lake.
            EphemeralStorageGiB = 50,
            TaskRole = new Role(this, "TaskRole", new RoleProps
            {
                AssumedBy = ServicePrincipals.EcsTasks(),
                Description = "Profile release evaluation task: UNLOAD the held-out week, read releases, write metrics.json once",
            }),
        });
        Task.AddContainer(ContainerName, new ContainerDefinitionOptions
        {
            Image = ContainerImage.FromAsset(RepoRoot(), new AssetImageProps
            {
                File = "Tools/LocalLake/aws/Dockerfile",
                Exclude = [.. ContextExclude],
                IgnoreMode = IgnoreMode.DOCKER,
            }),
            Logging = LogDrivers.AwsLogs(new AwsLogDriverProps { LogGroup = Logs, StreamPrefix = "evaluate" }),
            Environment = new Dictionary<string, string>
            {
                ["BUCKET"] = bucket.BucketName,
                ["WORKGROUP"] = lake.Athena.PipelineWorkGroupName,
                ["DATABASE"] = lake.Catalog.DatabaseName,
                // 360 polls × 5 s: half an hour for the UNLOAD of seven weeks of readings.
                ["POLL_LIMIT"] = "360",
                ["POLL_SECONDS"] = "5",
            },
        });
        GrantTask(lake, bucket, governed);

        Trigger = new Rule(this, "Trigger", new RuleProps
        {
            RuleName = $"shelfagent-{naming.Stage}-release-proposed",
            Description = "A proposed profile release (its release.json) starts its evaluation task",
            EventPattern = new EventPattern
            {
                Source = ["aws.s3"],
                DetailType = ["Object Created"],
                Detail = new Dictionary<string, object>
                {
                    ["bucket"] = new Dictionary<string, object> { ["name"] = new[] { bucket.BucketName } },
                    ["object"] = new Dictionary<string, object>
                    {
                        ["key"] = new object[] { new Dictionary<string, object> { ["wildcard"] = TriggerKey } },
                    },
                },
            },
        });
        Trigger.AddTarget(new EcsTask(new EcsTaskProps
        {
            Cluster = Cluster,
            TaskDefinition = Task,
            TaskCount = 1,
            SubnetSelection = new SubnetSelection { SubnetType = SubnetType.PUBLIC },
            AssignPublicIp = true,
            SecurityGroups = [SecurityGroup],
            ContainerOverrides =
            [
                new ContainerOverride
                {
                    ContainerName = ContainerName,
                    Environment = [new TaskEnvironmentVariable { Name = ReleaseKeyVariable, Value = EventField.FromPath("$.detail.object.key") }],
                },
            ],
            // RunTask refused (capacity, throttling): EventBridge tries again for an hour; a duplicate run finds metrics.json.
            RetryAttempts = 4,
            MaxEventAge = Duration.Hours(1),
        }));

        FailureRuleName = $"shelfagent-{naming.Stage}-release-evaluation-failed";
        SecureTopics.AllowEventBridgeRules(notices, "EvaluationFailures", FailureRuleName);
        FailureRule = new CfnRule(this, "Failed", new CfnRuleProps
        {
            Name = FailureRuleName,
            Description = "A profile release evaluation task that exited non-zero or never started, to the ML engineers' topic",
            State = "ENABLED",
            EventPattern = FailedTaskPattern(Cluster.ClusterArn),
            Targets = new object[]
            {
                new CfnRule.TargetProperty
                {
                    Id = "ml-engineers",
                    Arn = notices.TopicArn,
                    InputTransformer = new CfnRule.InputTransformerProperty
                    {
                        InputPathsMap = new Dictionary<string, string>
                        {
                            ["task"] = "$.detail.taskArn",
                            ["reason"] = "$.detail.stoppedReason",
                        },
                        InputTemplate = "\"ShelfAgent " + naming.Stage + ": a profile release evaluation failed (task <task>: <reason>); "
                            + "the last line of its log in " + Logs.LogGroupName + " says why; run it again by hand: docs/models.md step 2\"",
                    },
                },
            },
        });
        _ = new CfnOutput(Stack.Of(this), "EvaluationLogGroupName", new CfnOutputProps
        {
            Value = Logs.LogGroupName,
            Description = "Logs of the profile release evaluation tasks (one stream per task: evaluate/evaluate/<task id>)",
        });
    }

    /// <summary>The task's network: two public subnets, no NAT.</summary>
    public Vpc Vpc { get; }

    /// <summary>The task's security group (no ingress).</summary>
    public SecurityGroup SecurityGroup { get; }

    /// <summary>The Fargate cluster (no instances).</summary>
    public Cluster Cluster { get; }

    /// <summary>The task definition.</summary>
    public FargateTaskDefinition Task { get; }

    /// <summary>The task's logs.</summary>
    public LogGroup Logs { get; }

    /// <summary>The rule from a proposal's release.json to RunTask.</summary>
    public Rule Trigger { get; }

    /// <summary>The name of the rule that sends failed tasks to the ML engineers' topic.</summary>
    public string FailureRuleName { get; }

    /// <summary>That rule.</summary>
    public CfnRule FailureRule { get; }

    private static readonly string[] EcsSource = ["aws.ecs"];
    private static readonly string[] TaskStateChange = ["ECS Task State Change"];
    private static readonly string[] Stopped = ["STOPPED"];
    private static readonly string[] FailedToStart = ["TaskFailedToStart"];

    /// <summary>
    /// ECS task state changes of the cluster's tasks that stopped with a container's non-zero exit code, or never started
    /// (image pull, capacity: no exit code at all); EventBridge's <c>$or</c> and <c>anything-but</c> matching.
    /// </summary>
    public static Dictionary<string, object> FailedTaskPattern(string clusterArn) => new()
    {
        ["source"] = EcsSource,
        ["detail-type"] = TaskStateChange,
        ["detail"] = new Dictionary<string, object>
        {
            ["clusterArn"] = new[] { clusterArn },
            ["lastStatus"] = Stopped,
            ["$or"] = new object[]
            {
                new Dictionary<string, object>
                {
                    ["containers"] = new Dictionary<string, object>
                    {
                        ["exitCode"] = new object[] { new Dictionary<string, object> { ["anything-but"] = 0 } },
                    },
                },
                new Dictionary<string, object> { ["stopCode"] = FailedToStart },
            },
        },
    };

    /// <summary>The repository root (the folder of ShelfAgent.sln), the image's build context.</summary>
    public static string RepoRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ShelfAgent.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException(
            $"ShelfAgent.sln not found above {AppContext.BaseDirectory} or {Directory.GetCurrentDirectory()}: "
            + "the evaluation image is built from the repository");
    }

    /// <summary>
    /// Least privilege for evaluate-release.sh: the UNLOAD in the pipeline workgroup (Glue and Lake Formation read of
    /// curated_readings, S3 read of the curated bucket, the workgroup's results bucket, write of exports/evaluate/), read of
    /// the releases (proposals and rollout.json, to find the release in service), write of proposal/metrics.json only.
    /// </summary>
    private void GrantTask(DataLake lake, Bucket bucket, bool governed)
    {
        var role = Task.TaskRole;
        void Allow(string[] actions, params string[] resources) =>
            role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps { Actions = actions, Resources = resources }));
        var glue = $"arn:{Aws.PARTITION}:glue:{Aws.REGION}:{Aws.ACCOUNT_ID}";
        var db = lake.Catalog.DatabaseName;
        Allow(["athena:StartQueryExecution", "athena:GetQueryExecution"],
            $"arn:{Aws.PARTITION}:athena:{Aws.REGION}:{Aws.ACCOUNT_ID}:workgroup/{lake.Athena.PipelineWorkGroupName}");
        Allow(["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"],
            $"{glue}:catalog", $"{glue}:database/{db}", $"{glue}:table/{db}/{ReadingsCatalog.CuratedTableName}");
        Allow(["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"], lake.Buckets.Curated.BucketArn, lake.Buckets.Curated.ArnForObjects("*"));
        Allow(["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:PutObject", "s3:AbortMultipartUpload"],
            lake.Buckets.AthenaResults.BucketArn, lake.Buckets.AthenaResults.ArnForObjects("*"));
        // ListBucket: list-objects-v2 of releases/, copy --recursive, and a 404 (not 403) for a missing metrics.json.
        Allow(["s3:ListBucket", "s3:GetBucketLocation"], bucket.BucketArn);
        Allow(["s3:GetObject"], bucket.ArnForObjects($"{ReleasePaths.Prefix}*/{ReleasePaths.Proposal}/*"),
            bucket.ArnForObjects($"{ReleasePaths.Prefix}*/{ReleasePaths.Rollout}"));
        Allow(["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"], bucket.ArnForObjects(ExportPrefix + "*"));
        Allow(["s3:PutObject"], bucket.ArnForObjects($"{ReleasePaths.Prefix}*/{ReleasePaths.Proposal}/{ReleasePaths.Metrics}"));
        if (governed)
        {
            // Registered locations: Lake Formation vends the data credentials, for the granted table only.
            Allow(["lakeformation:GetDataAccess"], "*");
            var table = ReadingsCatalog.CuratedTableName;
            Governance.LakeFormationGrants.Table(this, "Read-" + table, role, db, table, Governance.LakeFormationGrants.Read,
                lake.Catalog.TableNamed(table));
            Governance.LakeFormationGrants.Database(this, "DescribeDatabase", role, db, lake.Catalog.Database);
        }
    }
}

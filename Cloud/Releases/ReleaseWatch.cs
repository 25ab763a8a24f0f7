using Amazon.CDK;
using CfnRule = Amazon.CDK.AWS.Events.CfnRule;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.Scheduler;
using Amazon.CDK.AWS.SNS;
using Constructs;
using ShelfAgent.Cloud.Lake;
using ShelfAgent.Cloud.Learning;

namespace ShelfAgent.Cloud.Releases;

/// <summary>
/// The watch of profile releases in AWS (docs/models.md, step 5), no servers: EventBridge Scheduler runs the
/// <c>release-watch</c> Lambda daily after curation; for each release on its canary it publishes per-release figures
/// (<see cref="Metrics"/>, dimensions Release and Group = canary | rest), and after <c>watchDays</c> promotes or rolls back
/// with profiles-update jobs from the stack's template, records the verdict in rollout.json and puts the notice on the
/// default event bus, which a rule sends to the ML engineers' SNS topic. Its code is past CloudFormation's 4 KB inline
/// limit, so it ships as a file asset (the same JavaScript the node tests run).
/// </summary>
public sealed class ReleaseWatch : Construct
{
    /// <summary>UTC cron: after curation (01:00–01:20) and prediction-health (02:00).</summary>
    public const string Cron = "cron(30 2 * * ? *)";

    /// <summary>Event source of the notice.</summary>
    public const string EventSource = "shelfagent.releases";

    private static readonly string[] EventSources = [EventSource];
    private static readonly string[] DetailTypes = ["Profile release decided", ReleaseCanary.Started, ReleaseCanary.Refused, ReleaseCanary.Queued];

    /// <summary>The per-release metrics (namespace ShelfAgent, dimensions Release and Group), counts since the canary started.</summary>
    public static readonly string[] Metrics = ["ReleaseStockOutsCaught", "ReleaseStockOutsMissed", "ReleaseFalseAlarms", "ReleaseSlotDays"];

    /// <summary>Creates the function, schedule, topic and rule.</summary>
    /// <remarks>
    /// One canary at a time: <paramref name="canary"/> queues an approval that arrives while a release is on its canary, and
    /// this function, once it has decided, invokes it (asynchronously) for the oldest waiting approval.
    /// </remarks>
    public ReleaseWatch(Construct scope, string id, StageNaming naming, DataLake lake, ProfileReleases releases, ReleaseCanary canary, int watchDays,
        bool governed)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(naming);
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(releases);
        ArgumentNullException.ThrowIfNull(canary);
        if (watchDays is < 1 or > 60)
        {
            throw new ArgumentException($"Context 'watchDays' must be 1–60 days, got {watchDays}.");
        }

        WatchDays = watchDays;
        lake.Athena.AddQuery(new StarterQuery(ReleaseHealthQuery.Name,
            "Per store and release since a day: slot-days, stock-outs, caught ≥ 30 min ahead, predicted-empty alerts, strict false alarms; replace {FROM}",
            ReleaseHealthQuery.Sql));
        var bucket = lake.Buckets.ModelArtifacts;
        var logs = new LogGroup(this, "FunctionLogs", new LogGroupProps { Retention = RetentionDays.TWO_WEEKS, RemovalPolicy = RemovalPolicy.DESTROY });
        Function = new Function(this, "Function", new FunctionProps
        {
            Runtime = InlineNodeFunction.Runtime,
            Handler = "index.handler",
            Code = Code.FromAsset(LambdaSource.AssetFolder(LambdaSource.ReleaseWatch)),
            Timeout = Duration.Minutes(5),
            MemorySize = 256,
            Description = "Watches profile releases on their canary: per-release metrics, then promote or roll back (docs/models.md)",
            LogGroup = logs,
            Environment = new Dictionary<string, string>
            {
                ["BUCKET"] = bucket.BucketName,
                ["QUERY_SQL"] = ReleaseHealthQuery.Sql,
                ["WORKGROUP"] = lake.Athena.PipelineWorkGroupName,
                ["DATABASE"] = lake.Catalog.DatabaseName,
                ["NAMESPACE"] = Monitoring.Operations.Namespace,
                ["WATCH_DAYS"] = watchDays.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["TEMPLATE_ARN"] = releases.Template.AttrArn,
                ["STORE_ATTRIBUTE"] = Topics.StoreAttribute,
                ["SOURCE"] = EventSource,
                ["CANARY_FUNCTION"] = canary.Function.FunctionName,
                // 120 polls × 2 s stays inside the 5-minute timeout.
                ["POLL_LIMIT"] = "120",
                ["POLL_MS"] = "2000",
            },
        });

        var glue = $"arn:{Aws.PARTITION}:glue:{Aws.REGION}:{Aws.ACCOUNT_ID}";
        var db = lake.Catalog.DatabaseName;
        var iot = $"arn:{Aws.PARTITION}:iot:{Aws.REGION}:{Aws.ACCOUNT_ID}";
        Allow(["s3:ListBucket"], bucket.BucketArn);
        // The approvals only to find the waiting ones and their time; never a proposal.
        Allow(["s3:GetObject"], bucket.ArnForObjects($"{ReleasePaths.Prefix}*/{ReleasePaths.Rollout}"),
            bucket.ArnForObjects($"{ReleasePaths.Prefix}*/{ReleasePaths.Approval}"), bucket.ArnForObjects(ReleasePaths.ArtifactPrefix + "*"));
        // Starts the oldest waiting approval's canary through the canary function itself (one code path), and nothing else.
        Allow(["lambda:InvokeFunction"], canary.Function.FunctionArn);
        Allow(["s3:PutObject"], bucket.ArnForObjects($"{ReleasePaths.Prefix}*/{ReleasePaths.Rollout}"));
        Allow(["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults"],
            $"arn:{Aws.PARTITION}:athena:{Aws.REGION}:{Aws.ACCOUNT_ID}:workgroup/{lake.Athena.PipelineWorkGroupName}");
        Allow(["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"], $"{glue}:catalog", $"{glue}:database/{db}",
            $"{glue}:table/{db}/{ReadingsCatalog.CuratedEventsTableName}", $"{glue}:table/{db}/{ReadingsCatalog.CuratedForecastsTableName}");
        Allow(["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"], lake.Buckets.Curated.BucketArn, lake.Buckets.Curated.ArnForObjects("*"));
        Allow(["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:PutObject", "s3:AbortMultipartUpload"],
            lake.Buckets.AthenaResults.BucketArn, lake.Buckets.AthenaResults.ArnForObjects("*"));
        // ListThings has no resource-level permissions (IAM service authorization reference for AWS IoT).
        Allow(["iot:ListThings"], "*");
        Allow(["iot:CreateJob"], $"{iot}:job/{ProfileReleases.JobIdPrefix}*", $"{iot}:thing/*", releases.Template.AttrArn);
        Allow(["iam:PassRole"], releases.Download.RoleArn);
        Allow(["events:PutEvents"], $"arn:{Aws.PARTITION}:events:{Aws.REGION}:{Aws.ACCOUNT_ID}:event-bus/default");
        Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["cloudwatch:PutMetricData"],
            Resources = ["*"],
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["cloudwatch:namespace"] = Monitoring.Operations.Namespace },
            },
        }));

        if (governed)
        {
            // Registered locations: Lake Formation vends the data credentials, for the granted tables only.
            Allow(["lakeformation:GetDataAccess"], "*");
            foreach (var table in new[] { ReadingsCatalog.CuratedEventsTableName, ReadingsCatalog.CuratedForecastsTableName })
            {
                Governance.LakeFormationGrants.Table(this, "Read-" + table, Function.Role!, db, table, Governance.LakeFormationGrants.Read,
                    lake.Catalog.TableNamed(table));
            }

            Governance.LakeFormationGrants.Database(this, "DescribeDatabase", Function.Role!, db, lake.Catalog.Database);
        }

        var schedulerRole = new Role(this, "ScheduleRole", new RoleProps
        {
            AssumedBy = ServicePrincipals.Scheduler(),
            Description = "Runs the daily release watch",
        });
        schedulerRole.AddToPolicy(new PolicyStatement(new PolicyStatementProps { Actions = ["lambda:InvokeFunction"], Resources = [Function.FunctionArn] }));
        Schedule = new CfnSchedule(this, "Daily", new CfnScheduleProps
        {
            Description = "Daily watch of profile releases on their canary",
            ScheduleExpression = Cron,
            ScheduleExpressionTimezone = "UTC",
            FlexibleTimeWindow = new CfnSchedule.FlexibleTimeWindowProperty { Mode = "OFF" },
            Target = new CfnSchedule.TargetProperty
            {
                Arn = Function.FunctionArn,
                RoleArn = schedulerRole.RoleArn,
                RetryPolicy = new CfnSchedule.RetryPolicyProperty { MaximumRetryAttempts = 2, MaximumEventAgeInSeconds = 3600 },
            },
        });

        Notices = SecureTopics.Create(this, "Notices", "ShelfAgent profile releases: promoted or rolled back, and why");
        var ruleName = $"shelfagent-{naming.Stage}-release-decided";
        SecureTopics.AllowEventBridgeRules(Notices, "ReleaseDecisions", ruleName);
        NoticeRule = new CfnRule(this, "NoticeRule", new Amazon.CDK.AWS.Events.CfnRuleProps
        {
            Name = ruleName,
            Description = "Release watch verdicts (promoted / rolled back, with the figures), canary starts and refusals to the ML engineers' topic",
            State = "ENABLED",
            EventPattern = new Dictionary<string, object>
            {
                ["source"] = EventSources,
                ["detail-type"] = DetailTypes,
            },
            Targets = new object[] { new CfnRule.TargetProperty { Id = "ml-engineers", Arn = Notices.TopicArn } },
        });
        _ = new CfnOutput(Stack.Of(this), "ReleaseNoticesTopicArn", new CfnOutputProps
        {
            Value = Notices.TopicArn,
            Description = "Subscribe the ML engineers: every canary started or refused, every promoted or rolled-back profile release, and why",
        });
    }

    /// <summary>Days a canary runs before the watch decides (context <c>watchDays</c>).</summary>
    public int WatchDays { get; }

    /// <summary>The watch function.</summary>
    public Function Function { get; }

    /// <summary>Its daily schedule.</summary>
    public CfnSchedule Schedule { get; }

    /// <summary>The ML engineers' topic.</summary>
    public Topic Notices { get; }

    /// <summary>The rule from the default bus to the topic.</summary>
    public CfnRule NoticeRule { get; }

    private void Allow(string[] actions, params string[] resources) =>
        Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps { Actions = actions, Resources = resources }));
}

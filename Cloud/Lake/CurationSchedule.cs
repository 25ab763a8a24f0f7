using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Scheduler;
using Constructs;

namespace ShelfAgent.Cloud.Lake;

/// <summary>
/// Runs the daily curation without servers: EventBridge Scheduler calls Athena StartQueryExecution directly
/// (a "universal target"), first to register yesterday's raw partitions (readings, events), then to copy
/// the readings to curated.
/// The queries run with the scheduler role's permissions: read raw, write curated, write query results.
/// </summary>
public sealed class CurationSchedule : Construct
{
    /// <summary>UTC cron of the partition load: after Firehose's 15-minute buffer has flushed yesterday.</summary>
    public const string LoadPartitionsCron = "cron(30 0 * * ? *)";

    /// <summary>UTC cron of the events-and-alerts partition load.</summary>
    public const string LoadEventPartitionsCron = "cron(40 0 * * ? *)";

    /// <summary>UTC cron of the curation, after the partition load has finished.</summary>
    public const string CurateCron = "cron(0 1 * * ? *)";

    /// <summary>Creates the role and the two schedules.</summary>
    public CurationSchedule(Construct scope, string id, LakeBuckets buckets, ReadingsCatalog catalog, AthenaWorkspace athena)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(athena);

        Role = new Role(this, "Role", new RoleProps
        {
            AssumedBy = ServicePrincipals.Scheduler(),
            Description = "Daily curation: Athena queries from raw_readings into curated_readings",
        });
        string glue = $"arn:{Aws.PARTITION}:glue:{Aws.REGION}:{Aws.ACCOUNT_ID}";
        string db = catalog.DatabaseName;
        Allow(["athena:StartQueryExecution", "athena:GetQueryExecution"],
            $"arn:{Aws.PARTITION}:athena:{Aws.REGION}:{Aws.ACCOUNT_ID}:workgroup/{athena.WorkGroupName}");
        Allow(["glue:GetDatabase", "glue:GetTable", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition",
               "glue:CreatePartition", "glue:BatchCreatePartition", "glue:UpdatePartition"],
            $"{glue}:catalog", $"{glue}:database/{db}",
            $"{glue}:table/{db}/{ReadingsCatalog.RawTableName}", $"{glue}:table/{db}/{ReadingsCatalog.RawEventsTableName}",
            $"{glue}:table/{db}/{ReadingsCatalog.CuratedTableName}");
        Allow(["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"], buckets.Raw.BucketArn, buckets.Raw.ArnForObjects("*"));
        Allow(["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:PutObject", "s3:AbortMultipartUpload"],
            buckets.Curated.BucketArn, buckets.Curated.ArnForObjects("*"),
            buckets.AthenaResults.BucketArn, buckets.AthenaResults.ArnForObjects("*"));

        Schedule("LoadPartitions", "load-raw-partitions", LoadPartitionsCron, catalog, athena);
        Schedule("LoadEventPartitions", "load-raw-event-partitions", LoadEventPartitionsCron, catalog, athena);
        Schedule("Curate", "curate-yesterday", CurateCron, catalog, athena);
    }

    /// <summary>The role the scheduled queries run as.</summary>
    public Role Role { get; }

    private void Allow(string[] actions, params string[] resources) =>
        Role.AddToPolicy(new PolicyStatement(new PolicyStatementProps { Actions = actions, Resources = resources }));

    private void Schedule(string id, string queryName, string cron, ReadingsCatalog catalog, AthenaWorkspace athena)
    {
        var query = StarterQueries.All.Single(q => q.Name == queryName);
        var input = new Dictionary<string, object>
        {
            ["QueryString"] = query.Sql,
            ["WorkGroup"] = athena.WorkGroupName,
            ["QueryExecutionContext"] = new Dictionary<string, object> { ["Database"] = catalog.DatabaseName },
        };
        var schedule = new CfnSchedule(this, id, new CfnScheduleProps
        {
            Description = $"Daily Athena query {queryName}",
            ScheduleExpression = cron,
            ScheduleExpressionTimezone = "UTC",
            FlexibleTimeWindow = new CfnSchedule.FlexibleTimeWindowProperty { Mode = "OFF" },
            Target = new CfnSchedule.TargetProperty
            {
                Arn = "arn:aws:scheduler:::aws-sdk:athena:startQueryExecution",
                RoleArn = Role.RoleArn,
                Input = Stack.Of(this).ToJsonString(input),
                RetryPolicy = new CfnSchedule.RetryPolicyProperty { MaximumRetryAttempts = 3, MaximumEventAgeInSeconds = 3600 },
            },
        });
        schedule.Node.AddDependency(Role);
        schedule.Node.AddDependency(athena);
    }
}

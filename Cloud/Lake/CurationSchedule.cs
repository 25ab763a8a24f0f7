using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Scheduler;
using Constructs;

namespace ShelfAgent.Cloud.Lake;

/// <summary>
/// Runs curation and training without servers: EventBridge Scheduler calls Athena StartQueryExecution directly
/// (a "universal target"), in the pipeline workgroup. Curation MERGEs yesterday's arrival day of each raw table into its Iceberg table
/// (idempotent: a failed or repeated run is caught up by the next); training UNLOADs demand profiles (daily)
/// and the SageMaker dataset (weekly) into a new folder per run, named by the scheduler's execution id.
/// Raw tables use partition projection, so nothing registers partitions.
/// </summary>
public sealed class CurationSchedule : Construct
{
    /// <summary>UTC crons, after Firehose's 15-minute buffer has flushed yesterday.</summary>
    public static IReadOnlyDictionary<string, string> Crons { get; } = new Dictionary<string, string>
    {
        [StarterQueries.CurateReadings] = "cron(0 1 * * ? *)",
        [StarterQueries.CurateEvents] = "cron(10 1 * * ? *)",
        [StarterQueries.CurateForecasts] = "cron(20 1 * * ? *)",
        [StarterQueries.TrainProfiles] = "cron(0 3 * * ? *)",
        [StarterQueries.TrainingDataset] = "cron(0 4 ? * MON *)",
    };

    /// <summary>Scheduler context attribute: unique per invocation, so every run writes a fresh folder.</summary>
    public const string RunId = "<aws.scheduler.execution-id>";

    /// <summary>Creates the role and the schedules.</summary>
    /// <remarks><paramref name="withSales"/>: train-profiles reads curated_sales too (its Glue table is readable to the role).</remarks>
    public CurationSchedule(Construct scope, string id, LakeBuckets buckets, ReadingsCatalog catalog, AthenaWorkspace athena, bool withSales = false)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(athena);

        Role = new Role(this, "Role", new RoleProps
        {
            AssumedBy = ServicePrincipals.Scheduler(),
            Description = "Daily curation and training: Athena queries from raw into curated (Iceberg) and training folders",
        });
        var glue = $"arn:{Aws.PARTITION}:glue:{Aws.REGION}:{Aws.ACCOUNT_ID}";
        var db = catalog.DatabaseName;
        Allow(["athena:StartQueryExecution", "athena:GetQueryExecution"],
            $"arn:{Aws.PARTITION}:athena:{Aws.REGION}:{Aws.ACCOUNT_ID}:workgroup/{athena.PipelineWorkGroupName}");
        // Under Lake Formation, Athena reads and writes the registered locations with credentials vended to this role.
        Allow(["lakeformation:GetDataAccess"], "*");
        Allow(["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition"],
            [$"{glue}:catalog", $"{glue}:database/{db}", .. CuratedAndRaw.Select(t => $"{glue}:table/{db}/{t}"),
             .. (withSales ? [$"{glue}:table/{db}/{SalesTable}"] : Array.Empty<string>())]);
        // An Iceberg commit swaps the table's metadata pointer (glue:UpdateTable) on the curated tables only.
        Allow(["glue:UpdateTable"], [.. Curated.Select(t => $"{glue}:table/{db}/{t}")]);
        Allow(["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"], buckets.Raw.BucketArn, buckets.Raw.ArnForObjects("*"));
        Allow(["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:PutObject", "s3:AbortMultipartUpload"],
            buckets.Curated.BucketArn, buckets.Curated.ArnForObjects("*"),
            buckets.AthenaResults.BucketArn, buckets.AthenaResults.ArnForObjects("*"));

        foreach (var query in StarterQueries.All.Where(q => Crons.ContainsKey(q.Name)))
        {
            Schedule(query.Name, query.Sql, catalog, athena);
        }

        Schedule(StarterQueries.TrainProfiles, StarterQueries.ProfilesSql(ProfilesLocation(buckets, RunId), withSales), catalog, athena);
        Schedule(StarterQueries.TrainingDataset, StarterQueries.TrainingDatasetSql(TrainingLocation(buckets, RunId)), catalog, athena);
    }

    /// <summary>The curated sales table training reads when the sales source is deployed (Sources/TransactionalSources).</summary>
    public const string SalesTable = Sources.TransactionalSources.CuratedSales;

    /// <summary>The curated (Iceberg) tables curation writes.</summary>
    public static IReadOnlyList<string> Curated { get; } =
        [ReadingsCatalog.CuratedTableName, ReadingsCatalog.CuratedEventsTableName, ReadingsCatalog.CuratedForecastsTableName];

    /// <summary>The raw tables curation reads, and the curated ones.</summary>
    public static IReadOnlyList<string> CuratedAndRaw { get; } =
        [ReadingsCatalog.RawTableName, ReadingsCatalog.RawEventsTableName, ReadingsCatalog.RawForecastsTableName, .. Curated];

    /// <summary>The role the scheduled queries run as.</summary>
    public Role Role { get; }

    /// <summary>Folder of one profile training run.</summary>
    public static string ProfilesLocation(LakeBuckets buckets, string run) =>
        $"s3://{buckets?.Curated.BucketName}/{LakeBuckets.ProfilesPrefix}run={run}/";

    /// <summary>Folder of one training-dataset run.</summary>
    public static string TrainingLocation(LakeBuckets buckets, string run) =>
        $"s3://{buckets?.Curated.BucketName}/{LakeBuckets.TrainingPrefix}run={run}/";

    private void Allow(string[] actions, params string[] resources) =>
        Role.AddToPolicy(new PolicyStatement(new PolicyStatementProps { Actions = actions, Resources = resources }));

    private void Schedule(string queryName, string sql, ReadingsCatalog catalog, AthenaWorkspace athena)
    {
        var input = new Dictionary<string, object>
        {
            ["QueryString"] = sql,
            ["WorkGroup"] = athena.PipelineWorkGroupName,
            ["QueryExecutionContext"] = new Dictionary<string, object> { ["Database"] = catalog.DatabaseName },
        };
        var schedule = new CfnSchedule(this, queryName, new CfnScheduleProps
        {
            Description = $"Athena query {queryName}",
            ScheduleExpression = Crons[queryName],
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
        schedule.Node.AddDependency(athena);
    }
}

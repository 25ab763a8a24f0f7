using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.IAM;
using Constructs;
using ShelfAgent.Cloud.Governance;
using ShelfAgent.Cloud.Lake;

namespace ShelfAgent.Cloud.Predictions;

/// <summary>
/// Caught vs missed stock-outs on the dashboard: CloudWatch cannot read Athena, so a daily Lambda runs the
/// <c>prediction-health</c> named query's SQL on the curated events (after curation has merged yesterday) and
/// publishes yesterday's figures per store and for the fleet as <see cref="CaughtMetric"/> and
/// <see cref="MissedMetric"/>. Costs one Athena query a day (14 days of curated events) and one short Lambda run.
/// </summary>
public sealed class PredictionHealth : Construct
{
    /// <summary>The named query whose SQL the function runs.</summary>
    public const string QueryName = "prediction-health";

    /// <summary>Metric: stock-outs a predicted-empty alert caught ≥ 30 minutes ahead (dimension Store, and a fleet total).</summary>
    public const string CaughtMetric = "StockOutsCaught";

    /// <summary>Metric: stock-outs no alert caught in time.</summary>
    public const string MissedMetric = "StockOutsMissed";

    /// <summary>UTC cron: after curate-events (01:10) has merged yesterday's late arrivals.</summary>
    public const string Cron = "cron(0 2 * * ? *)";

    /// <summary>Creates the function, its permissions and its schedule.</summary>
    public PredictionHealth(Construct scope, string id, DataLake lake, bool governed)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(lake);
        var db = lake.Catalog.DatabaseName;
        var sql = StarterQueries.All.Single(q => q.Name == QueryName).Sql;
        Function = InlineNodeFunction.Create(this, "Function", LambdaSource.PredictionHealth,
            "Publishes yesterday's caught and missed stock-outs (Athena prediction-health) to CloudWatch", Duration.Minutes(3),
            new Dictionary<string, string>
            {
                ["QUERY_SQL"] = sql,
                ["WORKGROUP"] = lake.Athena.WorkGroupName,
                ["DATABASE"] = db,
                ["NAMESPACE"] = Monitoring.Operations.Namespace,
                // 60 polls × 2 s stays inside the 3-minute timeout.
                ["POLL_LIMIT"] = "60",
                ["POLL_MS"] = "2000",
            }).Function;

        var glue = $"arn:{Aws.PARTITION}:glue:{Aws.REGION}:{Aws.ACCOUNT_ID}";
        Allow(["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults"],
            $"arn:{Aws.PARTITION}:athena:{Aws.REGION}:{Aws.ACCOUNT_ID}:workgroup/{lake.Athena.WorkGroupName}");
        Allow(["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"],
            $"{glue}:catalog", $"{glue}:database/{db}", $"{glue}:table/{db}/{ReadingsCatalog.CuratedEventsTableName}");
        Allow(["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"], lake.Buckets.Curated.BucketArn, lake.Buckets.Curated.ArnForObjects("*"));
        Allow(["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:PutObject", "s3:AbortMultipartUpload"],
            lake.Buckets.AthenaResults.BucketArn, lake.Buckets.AthenaResults.ArnForObjects("*"));
        // PutMetricData has no resource ARN: the namespace condition is the scope.
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
            // Registered locations: Lake Formation vends the data credentials, for the granted table only.
            Allow(["lakeformation:GetDataAccess"], "*");
            LakeFormationGrants.Table(this, "ReadCuratedEvents", Function.Role!, db, ReadingsCatalog.CuratedEventsTableName,
                LakeFormationGrants.Read, lake.Catalog.TableNamed(ReadingsCatalog.CuratedEventsTableName));
            LakeFormationGrants.Database(this, "DescribeDatabase", Function.Role!, db, lake.Catalog.Database);
        }

        Schedule = new Rule(this, "Daily", new RuleProps
        {
            Description = "Daily prediction-health metrics",
            Schedule = Amazon.CDK.AWS.Events.Schedule.Expression(Cron),
            Targets = [new LambdaFunction(Function, new LambdaFunctionProps { RetryAttempts = 2 })],
        });
    }

    /// <summary>The function.</summary>
    public Amazon.CDK.AWS.Lambda.Function Function { get; }

    /// <summary>Its daily schedule.</summary>
    public Rule Schedule { get; }

    /// <summary>A fleet-wide daily count (published once a day, at the run, for the previous UTC day).</summary>
    public static Metric Fleet(string metric) => new(new MetricProps
    {
        Namespace = Monitoring.Operations.Namespace,
        MetricName = metric,
        Statistic = "Sum",
        Period = Duration.Days(1),
    });

    private void Allow(string[] actions, params string[] resources) =>
        Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps { Actions = actions, Resources = resources }));
}

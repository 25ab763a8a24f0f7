using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Constructs;
using ShelfAgent.Cloud.Ingest;
using ShelfAgent.Cloud.Lake;
using ShelfAgent.Cloud.Learning;
using ShelfAgent.Cloud.Releases;

namespace ShelfAgent.Cloud.Governance;

/// <summary>
/// One IAM role per profile of <see cref="ProfileMatrix"/>, assumable by principals of this account that an
/// administrator allows (IAM Identity Center permission sets or IAM users), each with only the statements of
/// its capabilities; plus Lake Formation grants on the Glue tables, which take over from IAM once the account
/// turns off IAMAllowedPrincipals for the database.
/// </summary>
public sealed class ProfileRoles : Construct
{
    private static readonly string[] S3Read = ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"];
    private static readonly string[] S3Write = ["s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListBucketMultipartUploads"];
    private static readonly string[] GlueRead =
        ["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition"];
    private static readonly string[] GlueWrite =
        ["glue:CreatePartition", "glue:BatchCreatePartition", "glue:UpdatePartition", "glue:DeletePartition", "glue:BatchDeletePartition", "glue:UpdateTable"];

    /// <summary>The raw tables (readings, events and alerts, forecasts).</summary>
    public static readonly string[] RawTables =
        [ReadingsCatalog.RawTableName, ReadingsCatalog.RawEventsTableName, ReadingsCatalog.RawForecastsTableName];

    /// <summary>The curated Iceberg tables.</summary>
    public static readonly string[] CuratedTables =
        [ReadingsCatalog.CuratedTableName, ReadingsCatalog.CuratedEventsTableName, ReadingsCatalog.CuratedForecastsTableName];

    private readonly Dictionary<string, Role> _roles = [];

    /// <summary>Creates the roles and grants.</summary>
    public ProfileRoles(
        Construct scope, string id, StageNaming naming, DataLake lake, IngestRules ingest, string dashboardName, string alarmNamePrefix,
        string predictionTopicArn, bool lakeFormationGrants, ProfileReleases releases)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(releases);
        ArgumentNullException.ThrowIfNull(naming);
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(ingest);

        var glue = $"arn:{Aws.PARTITION}:glue:{Aws.REGION}:{Aws.ACCOUNT_ID}";
        var db = lake.Catalog.DatabaseName;
        string[] GlueResources(params string[] tables) =>
            [$"{glue}:catalog", $"{glue}:database/{db}", .. tables.Select(t => $"{glue}:table/{db}/{t}")];
        string[] Objects(Amazon.CDK.AWS.S3.IBucket b) => [b.BucketArn, b.ArnForObjects("*")];

        foreach (var (profile, capabilities) in ProfileMatrix.Profiles)
        {
            var role = new Role(this, profile, new RoleProps
            {
                RoleName = naming.ProfileRole(profile),
                AssumedBy = new AccountRootPrincipal(),
                Description = $"ShelfAgent {naming.Stage} profile: {profile}",
                MaxSessionDuration = Duration.Hours(4),
            });
            Tags.Of(role).Add("profile", profile);
            _roles[profile] = role;

            foreach (var capability in capabilities.Order())
            {
                switch (capability)
                {
                    case Capability.RawRead:
                        Allow(role, "RawRead", S3Read, Objects(lake.Buckets.Raw));
                        Allow(role, "RawCatalogRead", GlueRead, GlueResources(RawTables));
                        break;
                    case Capability.RawWrite:
                        Allow(role, "RawWrite", S3Write, Objects(lake.Buckets.Raw));
                        Allow(role, "RawCatalogWrite", GlueWrite, GlueResources(RawTables));
                        break;
                    case Capability.CuratedRead:
                        Allow(role, "CuratedRead", S3Read, Objects(lake.Buckets.Curated));
                        Allow(role, "CuratedCatalogRead", GlueRead, GlueResources(CuratedTables));
                        break;
                    case Capability.CuratedWrite:
                        Allow(role, "CuratedWrite", S3Write, Objects(lake.Buckets.Curated));
                        Allow(role, "CuratedCatalogWrite", GlueWrite, GlueResources(CuratedTables));
                        break;
                    case Capability.AthenaQuery:
                        Allow(role, "AthenaWorkGroup",
                            ["athena:StartQueryExecution", "athena:StopQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults",
                             "athena:GetWorkGroup", "athena:ListNamedQueries", "athena:GetNamedQuery", "athena:BatchGetNamedQuery",
                             "athena:ListQueryExecutions"],
                            [$"arn:{Aws.PARTITION}:athena:{Aws.REGION}:{Aws.ACCOUNT_ID}:workgroup/{lake.Athena.WorkGroupName}"]);
                        Allow(role, "AthenaResults", [.. S3Read, "s3:PutObject", "s3:AbortMultipartUpload"], Objects(lake.Buckets.AthenaResults));
                        break;
                    case Capability.ModelArtifacts:
                        Allow(role, "ModelArtifacts", [.. S3Read, .. S3Write, "s3:GetObjectVersion"], Objects(lake.Buckets.ModelArtifacts));
                        break;
                    case Capability.StockOutSubscribe:
                        Allow(role, "StockOutSubscribe",
                            ["sns:Subscribe", "sns:Unsubscribe", "sns:ListSubscriptionsByTopic", "sns:GetTopicAttributes"],
                            [ingest.StockOutTopic.TopicArn, predictionTopicArn]);
                        break;
                    case Capability.DashboardRead:
                        Allow(role, "DashboardRead", ["cloudwatch:GetDashboard"],
                            [$"arn:{Aws.PARTITION}:cloudwatch::{Aws.ACCOUNT_ID}:dashboard/{dashboardName}"]);
                        // CloudWatch metric reads have no resource-level permissions (IAM service authorization reference).
                        Allow(role, "DashboardMetrics", ["cloudwatch:GetMetricData", "cloudwatch:ListDashboards"], ["*"]);
                        // DescribeAlarms takes alarm ARNs: only the stage's alarms (Operations names them with the prefix).
                        Allow(role, "StageAlarms", ["cloudwatch:DescribeAlarms"],
                            [$"arn:{Aws.PARTITION}:cloudwatch:{Aws.REGION}:{Aws.ACCOUNT_ID}:alarm:{alarmNamePrefix}*"]);
                        Allow(role, "DeviceConnectivity", ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"],
                            [ingest.DeviceStatus.TableArn, $"{ingest.DeviceStatus.TableArn}/index/*"]);
                        break;
                    case Capability.ProposeRelease:
                        // A proposal is everything of a release but its approval (docs/models.md, "Who may do what").
                        Allow(role, "ProposeRelease", ["s3:PutObject", "s3:GetObject"],
                            [lake.Buckets.ModelArtifacts.ArnForObjects($"{ReleasePaths.Prefix}*/{ReleasePaths.Proposal}/*")]);
                        break;
                    case Capability.ApproveRelease:
                        Allow(role, "ApproveRelease", ["s3:PutObject", "s3:GetObject"],
                            [lake.Buckets.ModelArtifacts.ArnForObjects($"{ReleasePaths.Prefix}*/{ReleasePaths.Approval}")]);
                        // Approving is signing: the per-store artifacts devices accept are signed with alias/shelf-profiles
                        // by an approver, or by the release-canary Lambda that the approver's approval.json starts (ReleaseCanary);
                        // no other role of the stack may call kms:Sign on that key.
                        Allow(role, "SignRelease", ["kms:Sign", "kms:GetPublicKey", "kms:DescribeKey"], [releases.Key.Key.KeyArn]);
                        Allow(role, "PublishRelease", ["s3:PutObject", "s3:GetObject"],
                            [lake.Buckets.ModelArtifacts.ArnForObjects($"{ReleasePaths.ArtifactPrefix}*")]);
                        // Canary, promotion and rollback are profiles-update jobs from the stack's template (docs/models.md).
                        Allow(role, "RollOutRelease", ["iot:CreateJob", "iot:CancelJob", "iot:DescribeJob", "iot:ListJobExecutionsForJob"],
                            [$"arn:{Aws.PARTITION}:iot:{Aws.REGION}:{Aws.ACCOUNT_ID}:job/{ProfileReleases.JobIdPrefix}*",
                             $"arn:{Aws.PARTITION}:iot:{Aws.REGION}:{Aws.ACCOUNT_ID}:thing/*",
                             $"arn:{Aws.PARTITION}:iot:{Aws.REGION}:{Aws.ACCOUNT_ID}:thinggroup/*",
                             releases.Template.AttrArn]);
                        Allow(role, "PassDownloadRole", ["iam:PassRole"], [releases.Download.RoleArn]);
                        break;
                    case Capability.ReleaseMetricsRead:
                        Allow(role, "ReleaseMetricsRead", ["s3:GetObject"],
                            [lake.Buckets.ModelArtifacts.ArnForObjects($"{ReleasePaths.Prefix}*/{ReleasePaths.Proposal}/{ReleasePaths.Metrics}"),
                             lake.Buckets.ModelArtifacts.ArnForObjects($"{ReleasePaths.Prefix}*/{ReleasePaths.Approval}")]);
                        break;
                    default:
                        throw new InvalidOperationException($"Capability {capability} has no statements.");
                }
            }

            if (lakeFormationGrants)
            {
                Grant(role, profile, db, lake, capabilities);
                if (capabilities.Overlaps([Capability.RawRead, Capability.RawWrite, Capability.CuratedRead, Capability.CuratedWrite]))
                {
                    // Lake Formation vends the S3 credentials for granted tables only to a caller allowed this action
                    // (it has no resource-level permissions; the grants decide what it yields).
                    Allow(role, "LakeFormationDataAccess", ["lakeformation:GetDataAccess"], ["*"]);
                }
            }
        }
    }

    /// <summary>The role of each profile.</summary>
    public IReadOnlyDictionary<string, Role> Roles => _roles;

    private static void Allow(Role role, string sid, string[] actions, string[] resources) =>
        role.AddToPolicy(new PolicyStatement(new PolicyStatementProps { Sid = sid, Actions = actions, Resources = resources }));

    private void Grant(Role role, string profile, string db, DataLake lake, IReadOnlySet<Capability> capabilities)
    {
        static string[] Perms(bool read, bool write) =>
            write ? LakeFormationGrants.ReadWrite : read ? LakeFormationGrants.Read : [];

        var raw = Perms(capabilities.Contains(Capability.RawRead), capabilities.Contains(Capability.RawWrite));
        var curated = Perms(capabilities.Contains(Capability.CuratedRead), capabilities.Contains(Capability.CuratedWrite));
        foreach (var (tables, permissions) in new[] { (RawTables, raw), (CuratedTables, curated) })
        {
            if (permissions.Length == 0)
            {
                continue;
            }

            foreach (var table in tables)
            {
                LakeFormationGrants.Table(this, $"{profile}-{table}", role, db, table, permissions, lake.Catalog.TableNamed(table));
            }
        }

        if (raw.Length > 0 || curated.Length > 0)
        {
            LakeFormationGrants.Database(this, $"{profile}-database", role, db, lake.Catalog.Database);
        }
    }
}

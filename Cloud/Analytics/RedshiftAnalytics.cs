using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.RedshiftServerless;
using Constructs;
using ShelfAgent.Cloud.Lake;

namespace ShelfAgent.Cloud.Analytics;

/// <summary>
/// Optional (-c redshift=true; it bills RPU-hours while queries run, and managed storage): Redshift Serverless
/// for history analysis over the curated Iceberg tables in place (no copy): a namespace whose default role reads
/// the Glue catalog and the curated bucket, and a workgroup at the 8 RPU minimum. After deploying, one
/// statement maps the lake: CREATE EXTERNAL SCHEMA shelf FROM DATA CATALOG DATABASE 'shelfagent_&lt;stage&gt;'
/// IAM_ROLE default (README "Redshift").
/// </summary>
public sealed class RedshiftAnalytics : Construct
{
    /// <summary>Base capacity (RPUs): the minimum.</summary>
    public const int BaseRpu = 8;

    /// <summary>Creates the role, namespace and workgroup.</summary>
    public RedshiftAnalytics(Construct scope, string id, StageNaming naming, DataLake lake, IReadOnlyList<string> subnetIds)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(naming);
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(subnetIds);
        Role = new Role(this, "Role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("redshift.amazonaws.com"),
            Description = "Redshift Serverless: read the curated lake tables",
        });
        var glue = $"arn:{Aws.PARTITION}:glue:{Aws.REGION}:{Aws.ACCOUNT_ID}";
        Role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables",
                       "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition"],
            Resources = [$"{glue}:catalog", $"{glue}:database/{lake.Catalog.DatabaseName}", $"{glue}:table/{lake.Catalog.DatabaseName}/curated_*"],
        }));
        Role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"],
            Resources = [lake.Buckets.Curated.BucketArn, lake.Buckets.Curated.ArnForObjects("*")],
        }));
        Role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["lakeformation:GetDataAccess"],
            Resources = ["*"],
        }));

        Namespace = new CfnNamespace(this, "Namespace", new CfnNamespaceProps
        {
            NamespaceName = $"shelfagent-{naming.Stage}",
            DbName = "shelf",
            AdminUsername = "shelfadmin",
            // Redshift keeps the admin password in Secrets Manager; it is never in the template.
            ManageAdminPassword = true,
            IamRoles = [Role.RoleArn],
            DefaultIamRoleArn = Role.RoleArn,
        });
        Workgroup = new CfnWorkgroup(this, "Workgroup", new CfnWorkgroupProps
        {
            WorkgroupName = $"shelfagent-{naming.Stage}",
            NamespaceName = Namespace.NamespaceName,
            BaseCapacity = BaseRpu,
            PubliclyAccessible = false,
            SubnetIds = subnetIds.Count > 0 ? [.. subnetIds] : null,
        });
        Workgroup.AddDependency(Namespace);
    }

    /// <summary>The role Redshift reads the lake with.</summary>
    public Role Role { get; }

    /// <summary>The namespace.</summary>
    public CfnNamespace Namespace { get; }

    /// <summary>The workgroup.</summary>
    public CfnWorkgroup Workgroup { get; }
}

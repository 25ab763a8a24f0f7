using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.LakeFormation;
using Constructs;
using GlueTable = Amazon.CDK.AWS.Glue.CfnTable;

namespace ShelfAgent.Cloud.Governance;

/// <summary>Lake Formation table permissions, used for the profiles and for the pipeline's own roles.</summary>
public static class LakeFormationGrants
{
    /// <summary>Read: query and see the table.</summary>
    public static readonly string[] Read = ["SELECT", "DESCRIBE"];

    /// <summary>Read and write data and partitions.</summary>
    public static readonly string[] ReadWrite = ["SELECT", "DESCRIBE", "INSERT", "DELETE", "ALTER"];

    /// <summary>DESCRIBE on the database, so the role can list and open its tables once Lake Formation decides.</summary>
    public static CfnPrincipalPermissions Database(Construct scope, string id, IRole role, string database, Amazon.CDK.AWS.Glue.CfnDatabase db)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(db);
        var grant = new CfnPrincipalPermissions(scope, id, new CfnPrincipalPermissionsProps
        {
            Catalog = Aws.ACCOUNT_ID,
            Principal = new CfnPrincipalPermissions.DataLakePrincipalProperty { DataLakePrincipalIdentifier = role.RoleArn },
            Resource = new CfnPrincipalPermissions.ResourceProperty
            {
                Database = new CfnPrincipalPermissions.DatabaseResourceProperty { CatalogId = Aws.ACCOUNT_ID, Name = database },
            },
            Permissions = ["DESCRIBE"],
            PermissionsWithGrantOption = Array.Empty<string>(),
        });
        grant.AddDependency(db);
        return grant;
    }

    /// <summary>Grants permissions on one table of the database to a role.</summary>
    public static CfnPrincipalPermissions Table(
        Construct scope, string id, IRole role, string database, string tableName, string[] permissions, GlueTable table)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(table);
        var grant = new CfnPrincipalPermissions(scope, id, new CfnPrincipalPermissionsProps
        {
            Catalog = Aws.ACCOUNT_ID,
            Principal = new CfnPrincipalPermissions.DataLakePrincipalProperty { DataLakePrincipalIdentifier = role.RoleArn },
            Resource = new CfnPrincipalPermissions.ResourceProperty
            {
                Table = new CfnPrincipalPermissions.TableResourceProperty { CatalogId = Aws.ACCOUNT_ID, DatabaseName = database, Name = tableName },
            },
            Permissions = permissions,
            PermissionsWithGrantOption = Array.Empty<string>(),
        });
        grant.AddDependency(table);
        return grant;
    }
}

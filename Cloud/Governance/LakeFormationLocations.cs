using Amazon.CDK.AWS.LakeFormation;
using Constructs;
using ShelfAgent.Cloud.Lake;

namespace ShelfAgent.Cloud.Governance;

/// <summary>
/// Makes Lake Formation govern the lake's data, not only its catalog: the raw and curated buckets are registered
/// as data locations (Lake Formation's service-linked role vends scoped credentials to Athena, so a profile reads
/// only the tables it was granted, whatever its S3 permissions). Together with the database's empty
/// CreateTableDefaultPermissions (no IAMAllowedPrincipals grant on its tables, ReadingsCatalog) and the grants
/// of ProfileRoles and PipelineGrants, this is what makes the per-profile governance effective.
/// </summary>
public sealed class LakeFormationLocations : Construct
{
    /// <summary>Registers the locations.</summary>
    public LakeFormationLocations(Construct scope, string id, LakeBuckets buckets)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        foreach (var (name, bucket) in new[] { ("Raw", buckets.Raw), ("Curated", buckets.Curated) })
        {
            _ = new CfnResource(this, name, new CfnResourceProps
            {
                ResourceArn = bucket.BucketArn,
                UseServiceLinkedRole = true,
                // Lake Formation mode only: no hybrid access that would let IAM-only principals keep reading.
                HybridAccessEnabled = false,
            });
        }
    }
}

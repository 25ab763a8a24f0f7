using Amazon.CDK;
using Amazon.CDK.AWS.S3;
using Constructs;

namespace ShelfAgent.Cloud.Lake;

/// <summary>
/// One way to make a bucket: encrypted (SSE-S3), all public access blocked, TLS-only bucket policy,
/// bucket-owner-enforced object ownership (no ACLs), unfinished multipart uploads aborted, retained on
/// stack deletion. Callers add their lifecycle rules.
/// </summary>
public static class SecureBuckets
{
    /// <summary>Creates a bucket with the common guarantees.</summary>
    public static Bucket Create(Construct scope, string id, bool versioned, params ILifecycleRule[] lifecycle)
    {
        var rules = new List<ILifecycleRule>(lifecycle)
        {
            new LifecycleRule { Id = "abort-incomplete-uploads", AbortIncompleteMultipartUploadAfter = Duration.Days(7) },
        };
        return new Bucket(scope, id, new BucketProps
        {
            Encryption = BucketEncryption.S3_MANAGED,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            EnforceSSL = true,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            Versioned = versioned,
            LifecycleRules = rules.ToArray(),
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
    }
}

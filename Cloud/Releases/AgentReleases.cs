using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.IoT;
using Amazon.CDK.AWS.S3;
using Constructs;
using ShelfAgent.Cloud.Lake;

namespace ShelfAgent.Cloud.Releases;

/// <summary>
/// Agent updates in AWS (issue 23, docs/jobs.md "Releasing an agent update"): the release bucket the archives are
/// uploaded to, the fleet's update key (<c>alias/shelf-update</c>, KMS asymmetric: the private half never leaves KMS),
/// the release-signer role — the one role that may sign with it, and CI's upload path — and the <c>agent-update</c> job
/// template: exponential rollout, abort on failure rate, and the pre-signed URL role that may only read archives.
/// </summary>
public sealed class AgentReleases : Construct
{
    /// <summary>Alias of the update key (a contract: docs/jobs.md signs with it).</summary>
    public const string KeyAlias = "alias/shelf-update";

    /// <summary>Key prefix of the release archives in the bucket.</summary>
    public const string ArchivePrefix = "releases/";

    /// <summary>Stack output: the update key's public half (base64 DER) for <c>Update:TrustedKeys</c>.</summary>
    public const string TrustedKeyOutput = "UpdateTrustedKey";

    /// <summary>Minutes a device has from IN_PROGRESS to a final status: download, unpack, restart and the health window (300 s).</summary>
    public const int InProgressTimeoutMinutes = 60;

    /// <summary>Creates the bucket, key, roles and job template.</summary>
    public AgentReleases(Construct scope, string id, StageNaming naming, SigningKeys keys)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(naming);
        ArgumentNullException.ThrowIfNull(keys);

        // Versioned: an archive a device may still be downloading (or roll back to) is never lost to an overwrite;
        // an old version goes after a year. Encrypted, TLS-only, no public access (SecureBuckets).
        Bucket = SecureBuckets.Create(this, "Bucket", versioned: true,
            new LifecycleRule { Id = "old-archive-versions-expire", NoncurrentVersionExpiration = Duration.Days(365) });

        Key = keys.Add("UpdateKey", KeyAlias, $"ShelfAgent {naming.Stage} update key: signs agent release archives (ECDSA P-256, SHA-256)",
            TrustedKeyOutput, "Public key of alias/shelf-update (base64 DER): put it in Update:TrustedKeys of agent.json");

        Signer = new Role(this, "Signer", new RoleProps
        {
            RoleName = naming.ReleaseSignerRole,
            AssumedBy = new AccountRootPrincipal(),
            Description = $"ShelfAgent {naming.Stage}: signs agent releases with {KeyAlias} and uploads them (CI or a release manager)",
            MaxSessionDuration = Duration.Hours(1),
        });
        Signer.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "SignReleases",
            Actions = ["kms:Sign", "kms:GetPublicKey", "kms:DescribeKey"],
            Resources = [Key.Key.KeyArn],
        }));
        Signer.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "UploadReleases",
            Actions = ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"],
            Resources = [Bucket.ArnForObjects(ArchivePrefix + "*")],
        }));
        Signer.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ListReleases",
            Actions = ["s3:ListBucket"],
            Resources = [Bucket.BucketArn],
        }));

        // AWS IoT assumes this role to pre-sign each device's download URL (the ${aws:iot:s3-presigned-url:…} placeholder).
        Download = new Role(this, "Download", new RoleProps
        {
            AssumedBy = ServicePrincipals.IotJobs(),
            Description = "AWS IoT Jobs: pre-signs download URLs of agent release archives (read only)",
        });
        Download.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["s3:GetObject"],
            Resources = [Bucket.ArnForObjects(ArchivePrefix + "*")],
        }));

        var document = Stack.Of(this).ToJsonString(Document(Bucket.BucketName));
        Template = new CfnJobTemplate(this, "JobTemplate", new CfnJobTemplateProps
        {
            JobTemplateId = naming.AgentUpdateJobTemplate,
            Description = "ShelfAgent agent-update: pass the release's document (docs/jobs.md); rollout, abort, timeout and download URL come from here",
            Document = document,
            PresignedUrlConfig = JobRollout.PresignedUrl(Download.RoleArn),
            JobExecutionsRolloutConfig = JobRollout.Rollout(),
            AbortConfig = JobRollout.Abort(),
            TimeoutConfig = JobRollout.Timeout(InProgressTimeoutMinutes),
        });

        _ = new CfnOutput(Stack.Of(this), "ReleaseBucketName", new CfnOutputProps
        {
            Value = Bucket.BucketName,
            Description = "Agent release archives: upload to releases/ (the release-signer role may)",
        });
        _ = new CfnOutput(Stack.Of(this), "ReleaseSignerRoleArn", new CfnOutputProps
        {
            Value = Signer.RoleArn,
            Description = "Role that may sign with alias/shelf-update and upload archives (CI assumes it)",
        });
        _ = new CfnOutput(Stack.Of(this), "AgentUpdateJobTemplateArn", new CfnOutputProps
        {
            Value = Template.AttrArn,
            Description = "aws iot create-job --job-template-arn <this> --document file://agent-update-<version>.json --targets …",
        });
    }

    /// <summary>The release bucket.</summary>
    public Bucket Bucket { get; }

    /// <summary>The update key.</summary>
    public SigningKey Key { get; }

    /// <summary>The role that may sign and upload releases.</summary>
    public Role Signer { get; }

    /// <summary>The role AWS IoT pre-signs download URLs with.</summary>
    public Role Download { get; }

    /// <summary>The agent-update job template.</summary>
    public CfnJobTemplate Template { get; }

    /// <summary>
    /// The template's document: the agent-update fields of docs/jobs.md with the archive's URL as AWS IoT's pre-signed
    /// URL placeholder in this bucket. The values in capitals are a release's own: a job passes its release's document.
    /// </summary>
    public static Dictionary<string, object> Document(string bucketName) => new()
    {
        ["operation"] = "agent-update",
        ["version"] = "VERSION",
        ["url"] = $"${{aws:iot:s3-presigned-url:https://{bucketName}.s3.amazonaws.com/{ArchivePrefix}shelf-agent-VERSION-linux-arm64.tar.gz}}",
        ["size"] = 0,
        ["sha256"] = "SHA256",
        ["signature"] = "SIGNATURE",
    };
}

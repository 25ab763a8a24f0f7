using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.IoT;
using Amazon.CDK.AWS.S3;
using Constructs;
using ShelfAgent.Cloud.Learning;

namespace ShelfAgent.Cloud.Releases;

/// <summary>
/// Profile releases on devices in AWS (issue 24, docs/models.md): the model signing key (<c>alias/shelf-profiles</c>, its
/// own key: a profile signature can never pass for an agent update), and the <c>profiles-update</c> job template whose
/// pre-signed URLs may only read the signed per-store artifacts (<c>profiles/&lt;release&gt;/&lt;store&gt;.json</c> in the
/// model-artifacts bucket). Who may sign and start the jobs is the approver profile's (ProfileRoles, from ProfileMatrix),
/// and the release-canary Lambda's that an approval starts (ReleaseCanary).
/// </summary>
public sealed class ProfileReleases : Construct
{
    /// <summary>Alias of the model signing key (a contract with the devices' Profiles:TrustedKeys).</summary>
    public const string KeyAlias = "alias/shelf-profiles";

    /// <summary>Stack output: the model signing key's public half (base64 DER) for <c>Profiles:TrustedKeys</c>.</summary>
    public const string TrustedKeyOutput = "ProfilesTrustedKey";

    /// <summary>Job ids of profile releases start with this (the approver may create and cancel only these).</summary>
    public const string JobIdPrefix = "profiles-";

    /// <summary>Minutes from IN_PROGRESS to a final status: a download of a store's profiles and one sampling round.</summary>
    public const int InProgressTimeoutMinutes = 30;

    /// <summary>Creates the key, the download role and the job template.</summary>
    public ProfileReleases(Construct scope, string id, StageNaming naming, SigningKeys keys, IBucket modelArtifacts)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(naming);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(modelArtifacts);
        Key = keys.Add("ProfilesKey", KeyAlias, $"ShelfAgent {naming.Stage} model key: signs profile release artifacts (ECDSA P-256, SHA-256)",
            TrustedKeyOutput, "Public key of alias/shelf-profiles (base64 DER): put it in Profiles:TrustedKeys of agent.json");

        Download = new Role(this, "Download", new RoleProps
        {
            AssumedBy = ServicePrincipals.IotJobs(),
            Description = "AWS IoT Jobs: pre-signs download URLs of signed profile artifacts (read only)",
        });
        Download.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["s3:GetObject"],
            Resources = [modelArtifacts.ArnForObjects(ReleasePaths.ArtifactPrefix + "*")],
        }));

        Template = new CfnJobTemplate(this, "JobTemplate", new CfnJobTemplateProps
        {
            JobTemplateId = naming.ProfilesUpdateJobTemplate,
            Description = "ShelfAgent profiles-update: one job per store and release, its document from the signed artifact (docs/models.md)",
            Document = Stack.Of(this).ToJsonString(Document(modelArtifacts.BucketName)),
            PresignedUrlConfig = JobRollout.PresignedUrl(Download.RoleArn),
            JobExecutionsRolloutConfig = JobRollout.Rollout(),
            AbortConfig = JobRollout.Abort(),
            TimeoutConfig = JobRollout.Timeout(InProgressTimeoutMinutes),
        });
        _ = new CfnOutput(Stack.Of(this), "ProfilesUpdateJobTemplateArn", new CfnOutputProps
        {
            Value = Template.AttrArn,
            Description = "aws iot create-job --job-template-arn <this> --document file://profiles-<release>-<store>.json --targets <the store's things>",
        });
    }

    /// <summary>The model signing key.</summary>
    public SigningKey Key { get; }

    /// <summary>The role AWS IoT pre-signs artifact URLs with.</summary>
    public Role Download { get; }

    /// <summary>The profiles-update job template.</summary>
    public CfnJobTemplate Template { get; }

    /// <summary>
    /// The template's document: the profiles-update fields (the contract with the device) with the artifact's URL as AWS
    /// IoT's pre-signed URL placeholder; the values in capitals are a release's and a store's own.
    /// </summary>
    public static Dictionary<string, object> Document(string bucketName) => new()
    {
        ["operation"] = "profiles-update",
        ["release"] = "RELEASE",
        ["url"] = $"${{aws:iot:s3-presigned-url:https://{bucketName}.s3.amazonaws.com/{ReleasePaths.Artifact("RELEASE", "STORE")}}}",
        ["size"] = 0,
        ["sha256"] = "SHA256",
        ["signature"] = "SIGNATURE",
    };
}

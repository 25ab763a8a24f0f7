using System.Globalization;
using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.S3;
using Constructs;
using ShelfAgent.Cloud.Learning;
using CfnRule = Amazon.CDK.AWS.Events.CfnRule;

namespace ShelfAgent.Cloud.Releases;

/// <summary>
/// The canary of a profile release starts by itself once the release is approved (docs/models.md "In AWS", issue 24):
/// writing <c>releases/&lt;id&gt;/approval.json</c> (only an approver may) raises an S3 Object Created event on the default
/// bus; a rule sends it to the <c>release-canary</c> Lambda, which signs the per-store artifacts with the model key,
/// creates the canary stores' profiles-update jobs and writes <c>rollout.json</c> — from there the release watch goes on.
/// </summary>
/// <remarks>
/// EventBridge rather than an S3 event notification: CDK writes a bucket's notifications through a custom resource (a
/// handler Lambda of its own, with a managed policy), and a notification straight to the function makes the bucket and
/// the function's permission depend on each other. The bucket's EventBridge switch is one property, the rule's pattern
/// selects the approval key alone, and the rule retries for a day.
/// </remarks>
public sealed class ReleaseCanary : Construct
{
    /// <summary>Detail type of the notice that a canary started.</summary>
    public const string Started = "Profile release canary started";

    /// <summary>Detail type of the notice that an approved release was refused (no metrics, an approval of another release …).</summary>
    public const string Refused = "Profile release canary refused";

    /// <summary>
    /// Detail type of the notice that an approval arrived while another release is on its canary: one canary at a time, the
    /// watch starts it once it decides that one (<see cref="ReleaseWatch"/>).
    /// </summary>
    public const string Queued = "Profile release canary queued";

    /// <summary>The default share of stores in a canary (context <c>canaryShare</c>).</summary>
    public const double DefaultShare = 0.1;

    /// <summary>Creates the function, its permissions and the rule.</summary>
    public ReleaseCanary(Construct scope, string id, StageNaming naming, IBucket modelArtifacts, ProfileReleases releases, double share)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(naming);
        ArgumentNullException.ThrowIfNull(modelArtifacts);
        ArgumentNullException.ThrowIfNull(releases);
        Share = CheckShare(share);
        var logs = new LogGroup(this, "FunctionLogs", new LogGroupProps { Retention = RetentionDays.TWO_WEEKS, RemovalPolicy = RemovalPolicy.DESTROY });
        Function = new Function(this, "Function", new FunctionProps
        {
            Runtime = InlineNodeFunction.Runtime,
            Handler = "index.handler",
            Code = Code.FromAsset(LambdaSource.AssetFolder(LambdaSource.ReleaseCanary)),
            Timeout = Duration.Minutes(5),
            MemorySize = 256,
            Description = "Starts an approved profile release's canary: signed artifacts, canary jobs, rollout.json (docs/models.md)",
            LogGroup = logs,
            Environment = new Dictionary<string, string>
            {
                ["BUCKET"] = modelArtifacts.BucketName,
                ["KEY_ID"] = releases.Key.Key.KeyArn,
                ["TEMPLATE_ARN"] = releases.Template.AttrArn,
                ["STORE_ATTRIBUTE"] = Topics.StoreAttribute,
                ["CANARY_SHARE"] = share.ToString(CultureInfo.InvariantCulture),
                ["SOURCE"] = ReleaseWatch.EventSource,
            },
        });

        var iot = $"arn:{Aws.PARTITION}:iot:{Aws.REGION}:{Aws.ACCOUNT_ID}";
        // Listing answers NoSuchKey (not AccessDenied) for an absent record, and finds the promoted release in service.
        Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["s3:ListBucket"],
            Resources = [modelArtifacts.BucketArn],
            Conditions = new Dictionary<string, object>
            {
                ["StringLike"] = new Dictionary<string, object> { ["s3:prefix"] = new[] { ReleasePaths.Prefix, ReleasePaths.Prefix + "*" } },
            },
        }));
        // Reads the release (approval, proposal, every rollout.json); never writes an approval or a proposal.
        Allow(["s3:GetObject"], modelArtifacts.ArnForObjects(ReleasePaths.Prefix + "*"));
        Allow(["s3:PutObject"],
            modelArtifacts.ArnForObjects($"{ReleasePaths.Prefix}*/{ReleasePaths.Rollout}"), modelArtifacts.ArnForObjects(ReleasePaths.ArtifactPrefix + "*"));
        // Signing is approving's second half: the approver profile and this function are the only signers (ProfileRoles).
        Allow(["kms:Sign"], releases.Key.Key.KeyArn);
        // ListThings has no resource-level permissions (IAM service authorization reference for AWS IoT).
        Allow(["iot:ListThings"], "*");
        Allow(["iot:CreateJob"], $"{iot}:job/{ProfileReleases.JobIdPrefix}*", $"{iot}:thing/*", releases.Template.AttrArn);
        Allow(["iam:PassRole"], releases.Download.RoleArn);
        Allow(["events:PutEvents"], $"arn:{Aws.PARTITION}:events:{Aws.REGION}:{Aws.ACCOUNT_ID}:event-bus/default");

        // The bucket sends its Object Created events to EventBridge (LakeBuckets).
        Rule = new CfnRule(this, "OnApproval", new Amazon.CDK.AWS.Events.CfnRuleProps
        {
            Name = $"shelfagent-{naming.Stage}-release-approved",
            Description = "A profile release's approval.json was written: start its canary",
            State = "ENABLED",
            EventPattern = ApprovalPattern(modelArtifacts.BucketName),
            Targets = new object[]
            {
                new CfnRule.TargetProperty
                {
                    Id = "release-canary",
                    Arn = Function.FunctionArn,
                    RetryPolicy = new CfnRule.RetryPolicyProperty { MaximumRetryAttempts = 10, MaximumEventAgeInSeconds = 86400 },
                },
            },
        });
        Function.AddPermission("FromApprovalRule", new Permission
        {
            Principal = new ServicePrincipal("events.amazonaws.com"),
            Action = "lambda:InvokeFunction",
            SourceArn = Rule.AttrArn,
        });
    }

    /// <summary>Share of the stores in a canary (context <c>canaryShare</c>).</summary>
    public double Share { get; }

    /// <summary>The canary function.</summary>
    public Function Function { get; }

    /// <summary>The rule from the approval's Object Created event to the function.</summary>
    public CfnRule Rule { get; }

    /// <summary>The share, or an error naming the context key: above 0 and below 1 (a canary of every store is no canary).</summary>
    public static double CheckShare(double share) => share is > 0 and < 1
        ? share
        : throw new ArgumentException($"Context 'canaryShare' must be above 0 and below 1 (a share of the stores), got {share}.");

    /// <summary>S3's Object Created events of <c>releases/*/approval.json</c> in <paramref name="bucketName"/>.</summary>
    public static Dictionary<string, object> ApprovalPattern(string bucketName) => new()
    {
        ["source"] = new[] { "aws.s3" },
        ["detail-type"] = new[] { "Object Created" },
        ["detail"] = new Dictionary<string, object>
        {
            ["bucket"] = new Dictionary<string, object> { ["name"] = new[] { bucketName } },
            ["object"] = new Dictionary<string, object>
            {
                ["key"] = new object[] { new Dictionary<string, object> { ["wildcard"] = $"{ReleasePaths.Prefix}*/{ReleasePaths.Approval}" } },
            },
        },
    };

    private void Allow(string[] actions, params string[] resources) =>
        Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps { Actions = actions, Resources = resources }));
}

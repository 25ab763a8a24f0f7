using System.Globalization;
using Amazon.CDK;
using Constructs;
using ShelfAgent.Cloud.Analytics;
using ShelfAgent.Cloud.Devices;
using ShelfAgent.Cloud.Governance;
using ShelfAgent.Cloud.Ingest;
using ShelfAgent.Cloud.Lake;
using ShelfAgent.Cloud.Monitoring;
using ShelfAgent.Cloud.Predictions;
using ShelfAgent.Cloud.Releases;
using ShelfAgent.Cloud.Sources;

namespace ShelfAgent.Cloud;

/// <summary>
/// The whole cloud side of ShelfAgent for one stage, environment-agnostic (no account or region baked in):
/// device identity, ingest rules, the data lake, governance profiles and monitoring.
/// </summary>
public sealed class ShelfCloudStack : Stack
{
    /// <summary>Creates the stack.</summary>
    public ShelfCloudStack(Construct scope, StageNaming naming, IStackProps? props = null)
        : base(scope, naming?.StackName, props)
    {
        ArgumentNullException.ThrowIfNull(naming);
        Naming = naming;
        // Lake Formation governance needs the deploying role to be a data lake administrator: -c lakeFormation=false
        // skips it in accounts where it is not, and IAM alone decides (README "Deploy").
        var lakeFormation = ContextFlag("lakeFormation", fallback: true);
        Devices = new DeviceIdentity(this, "Devices", naming);
        SigningKeys = new SigningKeys(this, "Signing");
        AgentReleases = new AgentReleases(this, "AgentReleases", naming, SigningKeys);
        Ingest = new IngestRules(this, "Ingest", naming, ContextInt("shards", 1));
        Options = CloudOptions.FromContext(key => Node.TryGetContext(key)?.ToString());
        // With the sales source deployed, train-profiles uses the store's POS sales as its prior (issue 24).
        Lake = new DataLake(this, "Lake", naming, Ingest.Stream, lakeFormation, withSales: Options.Sales is not null);
        Ingest.DeliverDirect(Lake.EventDelivery.DeliveryStream, Lake.ForecastDelivery.DeliveryStream);
        if (lakeFormation && ContextFlag("lakeFormationSettings", fallback: false))
        {
            // Before the database exists, so it never gets the database-level IAMAllowedPrincipals grant.
            var admins = Node.TryGetContext("lakeFormationAdmins")?.ToString() ?? "";
            LakeSettings = new LakeFormationSettings(this, "LakeSettings",
                admins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Lake.Catalog.Database.AddDependency(LakeSettings.Settings);
        }

        Replay = new RuleReplay(this, "Replay", Ingest, Lake);
        Predictions = new PredictionAlerts(this, "Predictions", naming, Ingest);
        Health = new PredictionHealth(this, "PredictionHealth", Lake, lakeFormation);
        Operations = new Operations(this, "Monitoring", naming, Ingest, Lake, Replay, Devices, Predictions, Health);
        Operations.AlarmOnFunction("kms-public-key", SigningKeys.Reader);
        ProfileReleases = new ProfileReleases(this, "ProfileReleases", naming, SigningKeys, Lake.Buckets.ModelArtifacts);
        // The canary starts by itself once approval.json is written: a share of the stores (canaryShare, default 0.1); one
        // at a time (an approval waits while another release is on its canary).
        Canary = new ReleaseCanary(this, "ReleaseCanary", naming, Lake.Buckets.ModelArtifacts, ProfileReleases,
            ContextDouble("canaryShare", ReleaseCanary.DefaultShare));
        Operations.AlarmOnFunction("release-canary", Canary.Function);
        // The watch of profile releases: after watchDays (default 3) on the canary, promote or roll back, then start the
        // oldest waiting approval's canary.
        Watch = new ReleaseWatch(this, "ReleaseWatch", naming, Lake, ProfileReleases, Canary, ContextInt("watchDays", 3), lakeFormation);
        Operations.AlarmOnFunction("release-watch", Watch.Function);
        // A proposal's release.json starts its evaluation (an ECS Fargate task); failures go to the same ML engineers' topic.
        // Its image is a Docker asset, so `cdk deploy` needs Docker: -c releaseEvaluation=false leaves it out (evaluate by hand).
        if (ContextFlag("releaseEvaluation", fallback: true))
        {
            Evaluation = new ReleaseEvaluation(this, "ReleaseEvaluation", naming, Lake, Watch.Notices, lakeFormation);
            Operations.AlarmOnRuleMatches("ReleaseEvaluationFailed", Evaluation.FailureRuleName,
                "A profile release evaluation task exited non-zero or failed to start (its log says why; docs/models.md step 2)");
        }
        Profiles = new ProfileRoles(this, "Profiles", naming, Lake, Ingest, Operations.DashboardName, Operations.AlarmNamePrefix,
            Predictions.Topic.TopicArn, lakeFormation, ProfileReleases);
        Sources = new TransactionalSources(this, "Sources", naming, Options, Lake);
        if (Sources.PurchasesDeadLetters is { } purchasesDeadLetters)
        {
            Operations.AlarmOnDeadLetters("PurchasesDeadLetters", purchasesDeadLetters,
                "Purchase stream records the pipe could not deliver to Firehose after 10 tries (the queue holds their stream positions)");
        }

        if (Sources.SalesReplicationId is { } salesReplication)
        {
            Operations.AlarmOnReplication("SalesReplication", salesReplication,
                "DMS sales replication over an hour behind, or not running (no CDC latency for 30 minutes): curated_sales goes stale");
        }

        if (Options.Redshift)
        {
            Redshift = new RedshiftAnalytics(this, "Redshift", naming, Lake, Options.RedshiftSubnetIds);
        }

        if (Options.SageMakerTrainingImage is { } image)
        {
            _ = new SageMakerTraining(this, "SageMaker", naming, Lake, image);
        }

        if (lakeFormation)
        {
            _ = new PipelineGrants(this, "PipelineGrants", Lake);
            _ = new LakeFormationLocations(this, "LakeLocations", Lake.Buckets);
            _ = new SourceGrants(this, "SourceGrants", Lake, Sources, Profiles, Redshift);
        }
    }

    /// <summary>The asymmetric signing keys and their public halves (outputs).</summary>
    public SigningKeys SigningKeys { get; }

    /// <summary>Agent updates: release bucket, update key, signer role, agent-update job template.</summary>
    public AgentReleases AgentReleases { get; }

    /// <summary>Profile releases: model signing key, profiles-update job template.</summary>
    public ProfileReleases ProfileReleases { get; }

    /// <summary>The daily watch of profile releases.</summary>
    public ReleaseWatch Watch { get; }

    /// <summary>The evaluation of proposed profile releases (ECS Fargate, started by the proposal's arrival); null with -c releaseEvaluation=false.</summary>
    public ReleaseEvaluation? Evaluation { get; }
    /// <summary>The start of an approved release's canary.</summary>
    public ReleaseCanary Canary { get; }

    /// <summary>Account Lake Formation settings, when -c lakeFormationSettings=true.</summary>
    public LakeFormationSettings? LakeSettings { get; }

    /// <summary>The optional parts asked for in context.</summary>
    public CloudOptions Options { get; }

    /// <summary>RDS and DynamoDB sources (empty unless their identifiers are given).</summary>
    public TransactionalSources Sources { get; }

    /// <summary>Redshift Serverless, when -c redshift=true.</summary>
    public RedshiftAnalytics? Redshift { get; }

    /// <summary>Puts failed stream actions and Firehose error records back on the stream.</summary>
    public RuleReplay Replay { get; }

    /// <summary>Predicted-empty alerts through EventBridge to SNS, and their metrics.</summary>
    public PredictionAlerts Predictions { get; }

    /// <summary>Daily caught/missed stock-out metrics from the curated events.</summary>
    public PredictionHealth Health { get; }

    /// <summary>The stage's names.</summary>
    public StageNaming Naming { get; }

    /// <summary>Thing type, policies, provisioning.</summary>
    public DeviceIdentity Devices { get; }

    /// <summary>Topic rules, the stream and the alert and status targets.</summary>
    public IngestRules Ingest { get; }

    /// <summary>Buckets, Glue, Firehose, Athena.</summary>
    public DataLake Lake { get; }

    /// <summary>Alarms and dashboard.</summary>
    public Operations Operations { get; }

    /// <summary>Governance roles per profile.</summary>
    public ProfileRoles Profiles { get; }

    private bool ContextFlag(string key, bool fallback) =>
        Node.TryGetContext(key) switch
        {
            null => fallback,
            bool b => b,
            string s when bool.TryParse(s, out var parsed) => parsed,
            var other => throw new ArgumentException($"Context '{key}' must be true or false, got '{other}'."),
        };

    private double ContextDouble(string key, double fallback) =>
        Node.TryGetContext(key) switch
        {
            null => fallback,
            double d => d,
            int i => i,
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            var other => throw new ArgumentException($"Context '{key}' must be a number, got '{other}'."),
        };

    private int ContextInt(string key, int fallback) =>
        Node.TryGetContext(key) switch
        {
            null => fallback,
            int i => i,
            double d => (int)d,
            string s when int.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
            var other => throw new ArgumentException($"Context '{key}' must be an integer, got '{other}'."),
        };
}

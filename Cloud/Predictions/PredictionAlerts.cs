using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.Pipes;
using Amazon.CDK.AWS.SNS;
using Constructs;
using ShelfAgent.Cloud.Ingest;
using CfnRule = Amazon.CDK.AWS.Events.CfnRule;
using CfnRuleProps = Amazon.CDK.AWS.Events.CfnRuleProps;

namespace ShelfAgent.Cloud.Predictions;

/// <summary>
/// The cloud half of "compare in real time": the devices' predicted-empty alerts (CONTRACT-13) and their
/// actual stock-outs go from the predictions rule's queue through an EventBridge pipe onto the stage's event
/// bus; a rule sends predicted-empty and its clearing to an SNS topic that store managers subscribe to with a
/// filter on their store ({"detail":{"topic_store":["store-0042"]}}, payload-based filtering; topic_store is the
/// topic's store, which the device policy pins to the certificate, not the payload's own field), and every event to a
/// log group whose metric filters count alerts and stock-outs per store for the prediction-health dashboard.
/// All of it is pay-per-use: nothing costs money while no alert flows.
/// </summary>
public sealed class PredictionAlerts : Construct
{
    /// <summary>Event source the pipe stamps on device alerts.</summary>
    public const string EventSource = "shelfagent.devices";

    /// <summary>Detail type of a device alert event.</summary>
    public const string DetailType = "shelf.alert.v1";

    /// <summary>Metric: predicted-empty alerts (dimension Store, and a fleet total without).</summary>
    public const string PredictedMetric = "PredictedEmptyAlerts";

    /// <summary>Metric: stock-outs the devices reported (empty alerts).</summary>
    public const string StockOutMetric = "StockOuts";

    private static readonly string[] LogWriters = ["events.amazonaws.com", "delivery.logs.amazonaws.com"];
    private static readonly string[] LogActions = ["logs:CreateLogStream", "logs:PutLogEvents"];

    /// <summary>Creates the bus, the pipe, the rules, the topic and the metrics.</summary>
    public PredictionAlerts(Construct scope, string id, StageNaming naming, IngestRules ingest)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(naming);
        ArgumentNullException.ThrowIfNull(ingest);

        Bus = new EventBus(this, "Bus", new EventBusProps { EventBusName = $"shelfagent-{naming.Stage}" });
        Topic = SecureTopics.Create(this, "PredictedEmptyAlerts", "ShelfAgent predicted stock-outs");

        var pipeRole = new Role(this, "PipeRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("pipes.amazonaws.com", new ServicePrincipalOpts
            {
                Conditions = new Dictionary<string, object>
                {
                    ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Aws.ACCOUNT_ID },
                },
            }),
            Description = "EventBridge pipe: prediction queue to the stage's event bus",
        });
        pipeRole.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
            Resources = [ingest.PredictionQueue.QueueArn],
        }));
        pipeRole.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["events:PutEvents"],
            Resources = [Bus.EventBusArn],
        }));
        // Pipe execution errors (a refused PutEvents, a bad body) are logged: without it a failing pipe is silent
        // until the dead-letter queue fills.
        PipeLogs = new LogGroup(this, "PipeLogs", new LogGroupProps
        {
            LogGroupName = $"/aws/vendedlogs/pipes/shelfagent-{naming.Stage}-predictions",
            Retention = RetentionDays.ONE_MONTH,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        pipeRole.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resources = [PipeLogs.LogGroupArn],
        }));
        Pipe = new CfnPipe(this, "Pipe", new CfnPipeProps
        {
            Name = $"shelfagent-{naming.Stage}-predictions",
            RoleArn = pipeRole.RoleArn,
            LogConfiguration = new CfnPipe.PipeLogConfigurationProperty
            {
                Level = "ERROR",
                CloudwatchLogsLogDestination = new CfnPipe.CloudwatchLogsLogDestinationProperty { LogGroupArn = PipeLogs.LogGroupArn },
            },
            Source = ingest.PredictionQueue.QueueArn,
            SourceParameters = new CfnPipe.PipeSourceParametersProperty
            {
                SqsQueueParameters = new CfnPipe.PipeSourceSqsQueueParametersProperty { BatchSize = 10 },
            },
            Target = Bus.EventBusArn,
            TargetParameters = new CfnPipe.PipeTargetParametersProperty
            {
                // Pipes parse a JSON SQS body, so the event's detail is the alert itself.
                InputTemplate = "<$.body>",
                EventBridgeEventBusParameters = new CfnPipe.PipeTargetEventBridgeEventBusParametersProperty
                {
                    Source = EventSource,
                    DetailType = DetailType,
                },
            },
        });
        Pipe.Node.AddDependency(pipeRole);

        Logs = new LogGroup(this, "Events", new LogGroupProps
        {
            LogGroupName = $"/aws/events/shelfagent-{naming.Stage}-predictions",
            Retention = RetentionDays.THREE_MONTHS,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        _ = new CfnResourcePolicy(this, "EventsToLogs", new CfnResourcePolicyProps
        {
            PolicyName = $"shelfagent-{naming.Stage}-predictions-to-logs",
            PolicyDocument = Stack.Of(this).ToJsonString(new Dictionary<string, object>
            {
                ["Version"] = "2012-10-17",
                ["Statement"] = new object[]
                {
                    new Dictionary<string, object>
                    {
                        ["Effect"] = "Allow",
                        ["Principal"] = new Dictionary<string, object> { ["Service"] = LogWriters },
                        ["Action"] = LogActions,
                        ["Resource"] = Logs.LogGroupArn,
                    },
                },
            }),
        });

        // Only rules on this stage's bus (confused-deputy guard).
        SecureTopics.AllowEventBridgeRules(Topic, "EventBridgePublishes", $"shelfagent-{naming.Stage}/*");

        Notify = new CfnRule(this, "NotifyRule", new CfnRuleProps
        {
            EventBusName = Bus.EventBusName,
            Description = "predicted-empty and predicted-empty-cleared alerts to the store notification topic",
            State = "ENABLED",
            EventPattern = Pattern("predicted-empty", "predicted-empty-cleared"),
            Targets = new object[] { new CfnRule.TargetProperty { Id = "store-topic", Arn = Topic.TopicArn } },
        });
        Record = new CfnRule(this, "RecordRule", new CfnRuleProps
        {
            EventBusName = Bus.EventBusName,
            Description = "predicted and actual stock-outs to the log group that feeds the prediction-health metrics",
            State = "ENABLED",
            EventPattern = Pattern("predicted-empty", "predicted-empty-cleared", "empty"),
            // EventBridge wants the log group ARN without the ":*" that LogGroupArn carries.
            Targets = new object[]
            {
                new CfnRule.TargetProperty { Id = "log", Arn = $"arn:{Aws.PARTITION}:logs:{Aws.REGION}:{Aws.ACCOUNT_ID}:log-group:{Logs.LogGroupName}" },
            },
        });

        foreach (var (metric, type) in new[] { (PredictedMetric, "predicted-empty"), (StockOutMetric, "empty") })
        {
            // Per store (dimension from the alert) and a fleet total (no dimension) for the alarms.
            new MetricFilter(this, metric + "PerStore", new MetricFilterProps
            {
                LogGroup = Logs,
                FilterPattern = FilterPattern.StringValue("$.detail.type", "=", type),
                MetricNamespace = Monitoring.Operations.Namespace,
                MetricName = metric,
                MetricValue = "1",
                Dimensions = new Dictionary<string, string> { ["Store"] = "$.detail.topic_store" },
            });
            new MetricFilter(this, metric + "Fleet", new MetricFilterProps
            {
                LogGroup = Logs,
                FilterPattern = FilterPattern.StringValue("$.detail.type", "=", type),
                MetricNamespace = Monitoring.Operations.Namespace,
                MetricName = metric,
                MetricValue = "1",
            });
        }
    }

    /// <summary>The stage's event bus.</summary>
    public EventBus Bus { get; }

    /// <summary>Store notification topic (subscribe with a filter policy on detail.topic_store).</summary>
    public Topic Topic { get; }

    /// <summary>Queue → bus.</summary>
    public CfnPipe Pipe { get; }

    /// <summary>The pipe's execution errors.</summary>
    public LogGroup PipeLogs { get; }

    /// <summary>Rule to the notification topic.</summary>
    public CfnRule Notify { get; }

    /// <summary>Rule to the log group.</summary>
    public CfnRule Record { get; }

    /// <summary>Every prediction event, as logged.</summary>
    public LogGroup Logs { get; }

    /// <summary>A fleet-wide daily count of a metric.</summary>
    public static Metric Fleet(string metric) => new(new MetricProps
    {
        Namespace = Monitoring.Operations.Namespace,
        MetricName = metric,
        Statistic = "Sum",
        Period = Duration.Days(1),
    });

    private static Dictionary<string, object> Pattern(params string[] types) => new()
    {
        ["source"] = new[] { EventSource },
        ["detail-type"] = new[] { DetailType },
        ["detail"] = new Dictionary<string, object> { ["type"] = types },
    };
}

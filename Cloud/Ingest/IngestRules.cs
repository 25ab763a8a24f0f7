using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.IoT;
using Amazon.CDK.AWS.Kinesis;
using Amazon.CDK.AWS.KinesisFirehose;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SQS;
using Constructs;
using Stream = Amazon.CDK.AWS.Kinesis.Stream;

namespace ShelfAgent.Cloud.Ingest;

/// <summary>
/// Where device messages go: telemetry feeds one Kinesis stream partitioned by thing, read by one Firehose;
/// events, alerts and forecasts go by their own rules straight to their Firehose (<see cref="DeliverDirect"/>), so
/// no delivery stream pays ingestion on records it would drop and the shards are sized for one reader.
/// Stock-out alerts also go to an SNS topic, predictions to a queue for EventBridge, status/will messages to a
/// small DynamoDB table. Every rule has one action with its own role that allows exactly that one target. A failed
/// lake action (stream or Firehose) goes to the replay queue (RuleReplay puts it back where the rule sends it);
/// other failures to CloudWatch Logs. Both are alarmed.
/// </summary>
public sealed class IngestRules : Construct
{
    private readonly StageNaming _naming;
    private readonly Role _errorRole;
    private readonly Role _replayQueueRole;
    private readonly List<CfnTopicRule> _rules = [];

    /// <summary>Creates the stream, the targets and the rules.</summary>
    public IngestRules(Construct scope, string id, StageNaming naming, int shardCount)
        : base(scope, id)
    {
        _naming = naming ?? throw new ArgumentNullException(nameof(naming));

        Stream = new Stream(this, "Stream", new StreamProps
        {
            // Provisioned: a pilot fits in one shard (1 MB/s, 1000 records/s in); on-demand costs more at rest.
            // How many for a fleet: README "Shards".
            ShardCount = shardCount,
            StreamMode = StreamMode.PROVISIONED,
            RetentionPeriod = Duration.Hours(24),
            // AWS-managed key: encrypted at rest with no key policy for producers and consumers to carry.
            Encryption = StreamEncryption.MANAGED,
        });

        StockOutTopic = SecureTopics.Create(this, "StockOutAlerts", "ShelfAgent stock-out alerts");

        DeviceStatus = new Table(this, "DeviceStatus", new TableProps
        {
            PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "thingName", Type = AttributeType.STRING },
            BillingMode = BillingMode.PAY_PER_REQUEST,
            Encryption = TableEncryption.AWS_MANAGED,
            PointInTimeRecovery = false,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        DeviceStatus.AddGlobalSecondaryIndex(new GlobalSecondaryIndexProps
        {
            IndexName = "byStore",
            PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "storeId", Type = AttributeType.STRING },
            SortKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "thingName", Type = AttributeType.STRING },
        });

        ErrorLog = new LogGroup(this, "RuleErrors", new LogGroupProps
        {
            LogGroupName = $"/shelfagent/{naming.Stage}/iot-rule-errors",
            Retention = RetentionDays.ONE_MONTH,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        _errorRole = new Role(this, "ErrorActionRole", new RoleProps
        {
            AssumedBy = ServicePrincipals.IotRules(),
            Description = "IoT rule error action: write to the rule-error log group only",
        });
        _errorRole.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
            Resources = [ErrorLog.LogGroupArn],
        }));

        // Failed stream actions: kept 14 days (SQS maximum), replayed by RuleReplay; what it cannot replay
        // after 5 receives moves to the dead-letter queue (alarmed, 14 days).
        ReplayDeadLetters = Queue("ReplayDeadLetters", null);
        ReplayQueue = Queue("ReplayQueue", ReplayDeadLetters);
        _replayQueueRole = new Role(this, "ReplayQueueRole", new RoleProps
        {
            AssumedBy = ServicePrincipals.IotRules(),
            Description = "IoT rule error action of the stream rules: send to the replay queue only",
        });
        _replayQueueRole.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["sqs:SendMessage"],
            Resources = [ReplayQueue.QueueArn],
        }));

        // What the pipe could not put on the bus after 5 receives moves to its dead-letter queue (alarmed).
        PredictionDeadLetters = Queue("PredictionDeadLetters", null);
        PredictionQueue = Queue("PredictionQueue", PredictionDeadLetters);

        // Devices reach this rule through Basic Ingest ($aws/rules/shelfagent_{stage}_telemetry/dt/shelf/…/telemetry): its name is
        // in the device policy and the agent's Publish:BasicIngestRule.
        StreamRule("Telemetry", Topics.TelemetryRulePurpose, RuleSql.Telemetry);
        AddRule("StockOut", "stockout", RuleSql.StockOut, LogErrors(), role =>
        {
            role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
            {
                Actions = ["sns:Publish"],
                Resources = [StockOutTopic.TopicArn],
            }));
            return new CfnTopicRule.ActionProperty
            {
                Sns = new CfnTopicRule.SnsActionProperty
                {
                    TargetArn = StockOutTopic.TopicArn,
                    MessageFormat = "RAW",
                    RoleArn = role.RoleArn,
                },
            };
        });
        AddRule("Predictions", "predictions", RuleSql.Predictions, LogErrors(), role =>
        {
            role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
            {
                Actions = ["sqs:SendMessage"],
                Resources = [PredictionQueue.QueueArn],
            }));
            return new CfnTopicRule.ActionProperty
            {
                Sqs = new CfnTopicRule.SqsActionProperty { QueueUrl = PredictionQueue.QueueUrl, RoleArn = role.RoleArn, UseBase64 = false },
            };
        });
        AddRule("Status", "status", RuleSql.Status, LogErrors(), role =>
        {
            role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
            {
                Actions = ["dynamodb:PutItem"],
                Resources = [DeviceStatus.TableArn],
            }));
            return new CfnTopicRule.ActionProperty
            {
                DynamoDBv2 = new CfnTopicRule.DynamoDBv2ActionProperty
                {
                    PutItem = new CfnTopicRule.PutItemInputProperty { TableName = DeviceStatus.TableName },
                    RoleArn = role.RoleArn,
                },
            };
        });
    }

    /// <summary>The stream telemetry batches land in, partitioned by thing (its one reader: the readings Firehose).</summary>
    public Stream Stream { get; }

    /// <summary>SNS topic for stock-out alerts (type empty or low).</summary>
    public Topic StockOutTopic { get; }

    /// <summary>Last known connectivity per thing.</summary>
    public Table DeviceStatus { get; }

    /// <summary>Log group receiving the non-stream rules' failed actions.</summary>
    public LogGroup ErrorLog { get; }

    /// <summary>Error action messages of the stream rules, for RuleReplay.</summary>
    public Queue ReplayQueue { get; }

    /// <summary>What RuleReplay could not put back after 5 tries.</summary>
    public Queue ReplayDeadLetters { get; }

    /// <summary>Predicted-empty, its clearing and empty alerts, read by the EventBridge pipe.</summary>
    public Queue PredictionQueue { get; }

    /// <summary>Prediction alerts the pipe could not deliver after 5 tries.</summary>
    public Queue PredictionDeadLetters { get; }

    /// <summary>The topic rules.</summary>
    public IReadOnlyList<CfnTopicRule> Rules => _rules;

    /// <summary>The rules that write to the lake, by the stream or a Firehose (their failures are replayed).</summary>
    public IReadOnlyList<CfnTopicRule> StreamRules => _rules.Where(r => r.RuleName!.EndsWith("_telemetry", StringComparison.Ordinal)
        || r.RuleName.EndsWith("_events", StringComparison.Ordinal) || r.RuleName.EndsWith("_alerts", StringComparison.Ordinal)
        || r.RuleName.EndsWith("_forecast", StringComparison.Ordinal)).ToList();

    private Queue Queue(string id, Queue? deadLetters) => new(this, id, new QueueProps
    {
        RetentionPeriod = Duration.Days(14),
        Encryption = QueueEncryption.SQS_MANAGED,
        EnforceSSL = true,
        VisibilityTimeout = Duration.Minutes(2),
        DeadLetterQueue = deadLetters is null ? null : new DeadLetterQueue { Queue = deadLetters, MaxReceiveCount = 5 },
    });

    private CfnTopicRule.ActionProperty LogErrors() => new()
    {
        CloudwatchLogs = new CfnTopicRule.CloudwatchLogsActionProperty
        {
            LogGroupName = ErrorLog.LogGroupName,
            RoleArn = _errorRole.RoleArn,
        },
    };

    /// <summary>
    /// Events and alerts to the events Firehose, forecasts to the forecasts Firehose (Direct PUT), each by its own
    /// rule: before, three Firehoses read the whole stream and two paid ingestion on telemetry only to drop it.
    /// </summary>
    public void DeliverDirect(CfnDeliveryStream events, CfnDeliveryStream forecasts)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(forecasts);
        FirehoseRule("Events", "events", RuleSql.Events, events);
        FirehoseRule("Alerts", "alerts", RuleSql.Alerts, events);
        FirehoseRule("Forecast", "forecast", RuleSql.Forecast, forecasts);
    }

    private CfnTopicRule.ActionProperty Replay() => new()
    {
        Sqs = new CfnTopicRule.SqsActionProperty { QueueUrl = ReplayQueue.QueueUrl, RoleArn = _replayQueueRole.RoleArn, UseBase64 = false },
    };

    private void FirehoseRule(string id, string purpose, string sql, CfnDeliveryStream target)
    {
        AddRule(id, purpose, sql, Replay(), role =>
        {
            role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
            {
                Actions = ["firehose:PutRecord"],
                Resources = [target.AttrArn],
            }));
            return new CfnTopicRule.ActionProperty
            {
                // One record per message (BatchMode off): the transformation reads each record as one JSON document.
                Firehose = new CfnTopicRule.FirehoseActionProperty { DeliveryStreamName = target.Ref, RoleArn = role.RoleArn, BatchMode = false },
            };
        });
    }

    private void StreamRule(string id, string purpose, string sql)
    {
        AddRule(id, purpose, sql, Replay(), role =>
        {
            role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
            {
                Actions = ["kinesis:PutRecord"],
                Resources = [Stream.StreamArn],
            }));
            return new CfnTopicRule.ActionProperty
            {
                Kinesis = new CfnTopicRule.KinesisActionProperty
                {
                    StreamName = Stream.StreamName,
                    PartitionKey = RuleSql.ThingPartitionKey,
                    RoleArn = role.RoleArn,
                },
            };
        });
    }

    private void AddRule(string id, string purpose, string sql, CfnTopicRule.ActionProperty errorAction, Func<Role, CfnTopicRule.ActionProperty> action)
    {
        var role = new Role(this, $"{id}RuleRole", new RoleProps
        {
            AssumedBy = ServicePrincipals.IotRules(),
            Description = $"IoT rule {_naming.Rule(purpose)}: its one target only",
        });
        var rule = new CfnTopicRule(this, $"{id}Rule", new CfnTopicRuleProps
        {
            RuleName = _naming.Rule(purpose),
            TopicRulePayload = new CfnTopicRule.TopicRulePayloadProperty
            {
                Sql = sql,
                AwsIotSqlVersion = RuleSql.Version,
                RuleDisabled = false,
                Actions = new object[] { action(role) },
                ErrorAction = errorAction,
            },
        });
        _rules.Add(rule);
    }
}

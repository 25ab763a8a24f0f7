using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.IoT;
using Amazon.CDK.AWS.Kinesis;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SNS;
using Stream = Amazon.CDK.AWS.Kinesis.Stream;
using Constructs;

namespace ShelfAgent.Cloud.Ingest;

/// <summary>
/// Where device messages go: topic rules feed one Kinesis stream (telemetry, events, alerts), stock-out
/// alerts also go to an SNS topic, status/will messages to a small DynamoDB table. Every rule has one action
/// with its own role that allows exactly that one target, and an error action to CloudWatch Logs.
/// </summary>
public sealed class IngestRules : Construct
{
    private readonly StageNaming _naming;
    private readonly Role _errorRole;
    private readonly List<CfnTopicRule> _rules = [];

    /// <summary>Creates the stream, the targets and the rules.</summary>
    public IngestRules(Construct scope, string id, StageNaming naming, int shardCount)
        : base(scope, id)
    {
        _naming = naming ?? throw new ArgumentNullException(nameof(naming));

        Stream = new Stream(this, "Stream", new StreamProps
        {
            // Provisioned: a pilot fits in one shard (1 MB/s, 1000 records/s in); on-demand costs more at rest.
            ShardCount = shardCount,
            StreamMode = StreamMode.PROVISIONED,
            RetentionPeriod = Duration.Hours(24),
            // AWS-managed key: encrypted at rest with no key policy for producers and consumers to carry.
            Encryption = StreamEncryption.MANAGED,
        });

        StockOutTopic = new Topic(this, "StockOutAlerts", new TopicProps
        {
            DisplayName = "ShelfAgent stock-out alerts",
        });

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

        AddRule("Telemetry", "telemetry", RuleSql.Telemetry, role => new CfnTopicRule.ActionProperty
        {
            Kinesis = ToStream(role),
        });
        AddRule("Events", "events", RuleSql.Events, role => new CfnTopicRule.ActionProperty
        {
            Kinesis = ToStream(role),
        });
        AddRule("Alerts", "alerts", RuleSql.Alerts, role => new CfnTopicRule.ActionProperty
        {
            Kinesis = ToStream(role),
        });
        AddRule("StockOut", "stockout", RuleSql.StockOut, role =>
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
        AddRule("Status", "status", RuleSql.Status, role =>
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

    /// <summary>The stream every telemetry, event and alert message lands in, partitioned by store.</summary>
    public Stream Stream { get; }

    /// <summary>SNS topic for stock-out alerts (type empty or low).</summary>
    public Topic StockOutTopic { get; }

    /// <summary>Last known connectivity per thing.</summary>
    public Table DeviceStatus { get; }

    /// <summary>Log group receiving every rule's failed actions.</summary>
    public LogGroup ErrorLog { get; }

    /// <summary>The topic rules.</summary>
    public IReadOnlyList<CfnTopicRule> Rules => _rules;

    private CfnTopicRule.KinesisActionProperty ToStream(Role role)
    {
        role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["kinesis:PutRecord"],
            Resources = [Stream.StreamArn],
        }));
        return new CfnTopicRule.KinesisActionProperty
        {
            StreamName = Stream.StreamName,
            PartitionKey = RuleSql.StorePartitionKey,
            RoleArn = role.RoleArn,
        };
    }

    private void AddRule(string id, string purpose, string sql, Func<Role, CfnTopicRule.ActionProperty> action)
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
                ErrorAction = new CfnTopicRule.ActionProperty
                {
                    CloudwatchLogs = new CfnTopicRule.CloudwatchLogsActionProperty
                    {
                        LogGroupName = ErrorLog.LogGroupName,
                        RoleArn = _errorRole.RoleArn,
                    },
                },
            },
        });
        _rules.Add(rule);
    }
}

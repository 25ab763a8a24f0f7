using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SNS;
using Constructs;
using ShelfAgent.Cloud.Devices;
using ShelfAgent.Cloud.Ingest;
using ShelfAgent.Cloud.Lake;
using ShelfAgent.Cloud.Predictions;

namespace ShelfAgent.Cloud.Monitoring;

/// <summary>
/// Alarms on the ways data stops flowing (rule errors, failed stream actions not replayed, a stream consumer
/// falling behind, Firehose failing to transform, convert or deliver, records the transformation refused) and
/// on prediction health, to an operations topic, and one dashboard. Every alarm is named
/// ShelfAgent-{stage}-…, so read access can be scoped to the stage's alarms.
/// </summary>
public sealed class Operations : Construct
{
    /// <summary>Custom metric namespace of the rule-error metric filter.</summary>
    public const string Namespace = "ShelfAgent";

    /// <summary>Rule-error metric name (dimension RuleName).</summary>
    public const string RuleErrorsMetric = "IotRuleErrors";

    /// <summary>Iterator age that means Firehose is falling behind the stream (10 minutes).</summary>
    public const double IteratorAgeThresholdMs = 10 * 60 * 1000;

    /// <summary>Metric of records a transformation returned as ProcessingFailed (dimension Pipeline).</summary>
    public const string ProcessingFailedMetric = "TransformProcessingFailed";

    /// <summary>Creates the alarms and the dashboard.</summary>
    public Operations(
        Construct scope, string id, StageNaming naming, IngestRules ingest, DataLake lake, RuleReplay replay,
        DeviceIdentity devices, PredictionAlerts predictions, PredictionHealth health)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(naming);
        ArgumentNullException.ThrowIfNull(ingest);
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(replay);
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(health);

        AlarmTopic = SecureTopics.Create(this, "OpsAlarms", "ShelfAgent pipeline alarms");
        var notify = new SnsAction(AlarmTopic);
        DashboardName = $"ShelfAgent-{naming.Stage}";
        AlarmNamePrefix = $"ShelfAgent-{naming.Stage}-";
        // Without this the topic policy (TLS only) leaves CloudWatch no Allow: every alarm would be silent.
        SecureTopics.AllowCloudWatchAlarms(AlarmTopic, AlarmNamePrefix);
        QueryFailures = new PipelineQueryFailures(this, "PipelineQueryFailures", naming, lake.Athena.PipelineWorkGroupName, AlarmTopic);

        // Every failed rule action writes one JSON line with ruleName to the error log (IoT developer guide,
        // "Error action message format"): count them per rule.
        new MetricFilter(this, "RuleErrorFilter", new MetricFilterProps
        {
            LogGroup = ingest.ErrorLog,
            FilterPattern = FilterPattern.Exists("$.ruleName"),
            MetricNamespace = Namespace,
            MetricName = RuleErrorsMetric,
            MetricValue = "1",
            Dimensions = new Dictionary<string, string> { ["RuleName"] = "$.ruleName" },
        });

        var ruleErrorMetrics = new List<IMetric>();
        // The stream rules' failures go to the replay queue (alarmed below), the others to the log group.
        foreach (var rule in ingest.Rules.Except(ingest.StreamRules))
        {
            var ruleName = rule.RuleName!;
            var errors = new Metric(new MetricProps
            {
                Namespace = Namespace,
                MetricName = RuleErrorsMetric,
                DimensionsMap = new Dictionary<string, string> { ["RuleName"] = ruleName },
                Statistic = "Sum",
                Period = Duration.Minutes(5),
            });
            // A label would turn the alarm into a metric-math alarm; keep it for the graph only.
            ruleErrorMetrics.Add(errors.With(new MetricOptions { Label = ruleName }));
            Add(notify, new Alarm(this, $"RuleErrors-{ruleName}", new AlarmProps
            {
                AlarmName = AlarmNamePrefix + $"RuleErrors-{ruleName}",
                AlarmDescription = $"IoT rule {ruleName} failed to deliver messages (see the rule-error log group)",
                Metric = errors,
                Threshold = 0,
                ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
                EvaluationPeriods = 1,
                TreatMissingData = TreatMissingData.NOT_BREACHING,
            }));
        }

        var iteratorAge = ingest.Stream.MetricGetRecordsIteratorAgeMilliseconds(new MetricOptions
        {
            Statistic = "Maximum",
            Period = Duration.Minutes(5),
        });
        Add(notify, new Alarm(this, "StreamIteratorAge", new AlarmProps
        {
            AlarmName = AlarmNamePrefix + "StreamIteratorAge",
            AlarmDescription = "Firehose is more than 10 minutes behind the Kinesis stream (24 h retention: data loss ahead)",
            Metric = iteratorAge,
            Threshold = IteratorAgeThresholdMs,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 3,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        }));

        var deadLetters = ingest.ReplayDeadLetters.MetricApproximateNumberOfMessagesVisible(
            new MetricOptions { Period = Duration.Minutes(5), Statistic = "Maximum" });
        Add(notify, new Alarm(this, "ReplayDeadLetters", new AlarmProps
        {
            AlarmName = AlarmNamePrefix + "ReplayDeadLetters",
            AlarmDescription = "Failed stream rule actions that could not be replayed after 5 tries (see the dead-letter queue; README \"Replay\")",
            Metric = deadLetters,
            Threshold = 0,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        }));
        var replayAge = ingest.ReplayQueue.MetricApproximateAgeOfOldestMessage(new MetricOptions { Period = Duration.Minutes(5), Statistic = "Maximum" });
        Add(notify, new Alarm(this, "ReplayBacklog", new AlarmProps
        {
            AlarmName = AlarmNamePrefix + "ReplayBacklog",
            AlarmDescription = "Failed stream rule actions wait over 30 minutes for replay (stream throttled or replay failing)",
            Metric = replayAge,
            Threshold = 1800,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        }));

        // Prediction alerts: the pipe failing to deliver (dead letters) or falling behind (oldest message age).
        Add(notify, new Alarm(this, "PredictionDeadLetters", new AlarmProps
        {
            AlarmName = AlarmNamePrefix + "PredictionDeadLetters",
            AlarmDescription = "Predicted-empty alerts the EventBridge pipe could not deliver after 5 tries (see the pipe's log group)",
            Metric = ingest.PredictionDeadLetters.MetricApproximateNumberOfMessagesVisible(
                new MetricOptions { Period = Duration.Minutes(5), Statistic = "Maximum" }),
            Threshold = 0,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        }));
        Add(notify, new Alarm(this, "PredictionBacklog", new AlarmProps
        {
            AlarmName = AlarmNamePrefix + "PredictionBacklog",
            AlarmDescription = "Predicted-empty alerts wait over 10 minutes in the queue: store managers are told late",
            Metric = ingest.PredictionQueue.MetricApproximateAgeOfOldestMessage(new MetricOptions { Period = Duration.Minutes(5), Statistic = "Maximum" }),
            Threshold = 600,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        }));

        var firehoseWidgets = new List<IWidget>();
        foreach (var pipeline in lake.Pipelines)
        {
            firehoseWidgets.AddRange(DeliveryAlarms(pipeline, notify));
        }

        foreach (var (name, function) in new[]
            {
                ("replay", replay.Function),
                ("provisioning-hook", devices.Hook),
                ("rotation-hook", devices.RotationHook),
                ("prediction-health", health.Function),
            })
        {
            AlarmOnFunction(name, function);
        }

        var predicted = PredictionAlerts.Fleet(PredictionAlerts.PredictedMetric);
        var stockOuts = PredictionAlerts.Fleet(PredictionAlerts.StockOutMetric);
        Add(notify, new Alarm(this, "StockOutsWithoutPredictions", new AlarmProps
        {
            AlarmName = AlarmNamePrefix + "StockOutsWithoutPredictions",
            AlarmDescription = "The fleet had stock-outs today but raised no predicted-empty alert: " +
                "prediction is off or broken (run the prediction-health query)",
            Metric = new MathExpression(new MathExpressionProps
            {
                Expression = "IF(FILL(stockouts, 0) > 0 AND FILL(predicted, 0) == 0, 1, 0)",
                UsingMetrics = new Dictionary<string, IMetric> { ["stockouts"] = stockOuts, ["predicted"] = predicted },
                Period = Duration.Days(1),
            }),
            Threshold = 1,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        }));

        var caught = PredictionHealth.Fleet(PredictionHealth.CaughtMetric);
        var missed = PredictionHealth.Fleet(PredictionHealth.MissedMetric);
        Add(notify, new Alarm(this, "StockOutsMissedShare", new AlarmProps
        {
            AlarmName = AlarmNamePrefix + "StockOutsMissedShare",
            AlarmDescription = $"More than {MissedShareThreshold:P0} of yesterday's stock-outs had no predicted-empty alert 30 min ahead " +
                               "(prediction-health, from the curated events)",
            Metric = new MathExpression(new MathExpressionProps
            {
                // No stock-outs: share 0, not a division by zero.
                Expression = "IF(FILL(caught, 0) + FILL(missed, 0) > 0, FILL(missed, 0) / (FILL(caught, 0) + FILL(missed, 0)), 0)",
                UsingMetrics = new Dictionary<string, IMetric> { ["caught"] = caught, ["missed"] = missed },
                Period = Duration.Days(1),
                Label = "Missed share",
            }),
            Threshold = MissedShareThreshold,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        }));

        Dashboard = new Dashboard(this, "Dashboard", new DashboardProps { DashboardName = DashboardName });
        Dashboard.AddWidgets(
            Graph("Messages matched per rule", ingest.Rules.Select(r => (IMetric)new Metric(new MetricProps
            {
                Namespace = "AWS/IoT",
                MetricName = "TopicMatch",
                DimensionsMap = new Dictionary<string, string> { ["RuleName"] = r.RuleName! },
                Statistic = "Sum",
                Period = Duration.Minutes(5),
                Label = r.RuleName,
            }))),
            Graph("Rule errors", ruleErrorMetrics),
            Graph("Stream records in", [ingest.Stream.MetricIncomingRecords(new MetricOptions { Statistic = "Sum", Period = Duration.Minutes(5) })]),
            Graph("Stream iterator age (ms)", [iteratorAge]));
        Dashboard.AddWidgets([.. firehoseWidgets]);
        Dashboard.AddWidgets(
            Graph("Stock-out alerts published", [ingest.StockOutTopic.MetricNumberOfMessagesPublished(new MetricOptions { Period = Duration.Minutes(5) })]),
            Graph("Stream write throttling",
                [ingest.Stream.MetricPutRecordsThrottledRecords(new MetricOptions { Statistic = "Sum", Period = Duration.Minutes(5) })]),
            Graph("Failed stream actions: waiting / dead letters", [replayAge, deadLetters]));
        // Prediction health (the seed's "CloudWatch on the model's metrics"): per store per day.
        Dashboard.AddWidgets(
            Graph("Predicted-empty alerts per store per day", [PerStore(PredictionAlerts.PredictedMetric)], 12),
            Graph("Stock-outs per store per day", [PerStore(PredictionAlerts.StockOutMetric)], 12));
        Dashboard.AddWidgets(
            Graph("Fleet: stock-outs vs predicted-empty alerts per day", [stockOuts, predicted], 12),
            Graph("Fleet: stock-outs caught vs missed (previous UTC day, from curated events)", [caught, missed], 12));
        Dashboard.AddWidgets(
            Graph("Stock-outs caught per store per day", [PerStore(PredictionHealth.CaughtMetric)], 12),
            Graph("Stock-outs missed per store per day", [PerStore(PredictionHealth.MissedMetric)], 12));
    }

    /// <summary>Share of a day's stock-outs missed by prediction above which the alarm fires.</summary>
    public const double MissedShareThreshold = 0.5;

    /// <summary>Prefix of every alarm name of the stage.</summary>
    public string AlarmNamePrefix { get; }

    private static MathExpression PerStore(string metric) => new(new MathExpressionProps
    {
        Expression = $"SEARCH('{{{Namespace},Store}} MetricName=\"{metric}\"', 'Sum', 86400)",
        Label = "",
        Period = Duration.Days(1),
    });

    /// <summary>Failed or cancelled scheduled Athena queries to the ops topic.</summary>
    public PipelineQueryFailures QueryFailures { get; }

    /// <summary>Topic the alarms notify (subscribe the on-call address after deploy).</summary>
    public Topic AlarmTopic { get; }

    /// <summary>The dashboard.</summary>
    public Dashboard Dashboard { get; }

    /// <summary>The dashboard's name.</summary>
    public string DashboardName { get; }

    private static void Add(SnsAction notify, Alarm alarm) => alarm.AddAlarmAction(notify);

    /// <summary>Alarms (to the ops topic) when the function fails at least once in 15 minutes.</summary>
    public void AlarmOnFunction(string name, Amazon.CDK.AWS.Lambda.IFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        Add(new SnsAction(AlarmTopic), new Alarm(this, $"FunctionErrors-{name}", new AlarmProps
        {
            AlarmName = AlarmNamePrefix + $"FunctionErrors-{name}",
            AlarmDescription = $"The {name} Lambda failed",
            Metric = function.MetricErrors(new MetricOptions { Period = Duration.Minutes(15), Statistic = "Sum" }),
            Threshold = 0,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        }));
    }

    /// <summary>
    /// Alarms (to the ops topic) when an EventBridge rule that matches only failures matched at least once in 15 minutes
    /// (AWS/Events TriggeredRules, dimension RuleName), e.g. a release evaluation task that exited non-zero.
    /// </summary>
    public void AlarmOnRuleMatches(string name, string ruleName, string description)
    {
        ArgumentException.ThrowIfNullOrEmpty(ruleName);
        Add(new SnsAction(AlarmTopic), new Alarm(this, name, new AlarmProps
        {
            AlarmName = AlarmNamePrefix + name,
            AlarmDescription = description,
            Metric = new Metric(new MetricProps
            {
                Namespace = "AWS/Events",
                MetricName = "TriggeredRules",
                DimensionsMap = new Dictionary<string, string> { ["RuleName"] = ruleName },
                Statistic = "Sum",
                Period = Duration.Minutes(15),
            }),
            Threshold = 0,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        }));
    }

    /// <summary>An alarm at the first message in a dead-letter queue of an optional part (e.g. the purchases pipe).</summary>
    public void AlarmOnDeadLetters(string name, Amazon.CDK.AWS.SQS.IQueue queue, string description)
    {
        ArgumentNullException.ThrowIfNull(queue);
        Add(new SnsAction(AlarmTopic), new Alarm(this, name, new AlarmProps
        {
            AlarmName = AlarmNamePrefix + name,
            AlarmDescription = description,
            Metric = queue.MetricApproximateNumberOfMessagesVisible(new MetricOptions { Period = Duration.Minutes(5), Statistic = "Maximum" }),
            Threshold = 0,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        }));
    }

    /// <summary>Metric dimension of a DMS Serverless replication's metrics (its id, the end of its ARN).</summary>
    public const string DmsReplicationDimension = "ReplicationConfigId";

    /// <summary>CDC latency to the target above which the sales replication alarms (1 hour).</summary>
    public const double DmsLatencyThresholdSeconds = 3600;

    /// <summary>
    /// An alarm when the sales replication falls over an hour behind (CDCLatencyTarget, DMS user guide "Replication
    /// task metrics") or publishes no latency at all for 30 minutes: a stopped, failed or never started replication
    /// has no datapoints, so missing data counts as breaching. Without it a DMS failure shows only as a missing
    /// curated_sales day.
    /// </summary>
    public void AlarmOnReplication(string name, string replicationId, string description)
    {
        ArgumentException.ThrowIfNullOrEmpty(replicationId);
        Add(new SnsAction(AlarmTopic), new Alarm(this, name, new AlarmProps
        {
            AlarmName = AlarmNamePrefix + name,
            AlarmDescription = description,
            Metric = new Metric(new MetricProps
            {
                Namespace = "AWS/DMS",
                MetricName = "CDCLatencyTarget",
                DimensionsMap = new Dictionary<string, string> { [DmsReplicationDimension] = replicationId },
                Statistic = "Maximum",
                Period = Duration.Minutes(5),
            }),
            Threshold = DmsLatencyThresholdSeconds,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 6,
            TreatMissingData = TreatMissingData.BREACHING,
        }));
    }

    /// <summary>Delivery failure, staleness, conversion failure and transformation errors of one Firehose.</summary>
    private IWidget[] DeliveryAlarms(DeliveryPipeline pipeline, SnsAction notify)
    {
        var name = pipeline.Spec.Name;
        var delivery = pipeline.DeliveryStream.Ref;
        Metric Firehose(string metric, string statistic) => new(new MetricProps
        {
            Namespace = "AWS/Firehose",
            MetricName = metric,
            DimensionsMap = new Dictionary<string, string> { ["DeliveryStreamName"] = delivery },
            Statistic = statistic,
            Period = Duration.Minutes(15),
        });

        var deliverySuccess = Firehose("DeliveryToS3.Success", "Minimum");
        Add(notify, new Alarm(this, $"FirehoseDeliveryFailed-{name}", new AlarmProps
        {
            AlarmName = AlarmNamePrefix + $"FirehoseDeliveryFailed-{name}",
            AlarmDescription = $"Firehose ({name}) failed to write to the raw bucket",
            Metric = deliverySuccess,
            Threshold = 1,
            ComparisonOperator = ComparisonOperator.LESS_THAN_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        }));
        var freshness = Firehose("DeliveryToS3.DataFreshness", "Maximum");
        Add(notify, new Alarm(this, $"FirehoseDataStale-{name}", new AlarmProps
        {
            AlarmName = AlarmNamePrefix + $"FirehoseDataStale-{name}",
            AlarmDescription = $"The oldest {name} record in Firehose is over 30 minutes old (buffer is 15): delivery is stuck",
            Metric = freshness,
            Threshold = 1800,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 2,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        }));
        var failedConversion = Firehose("FailedConversion.Records", "Sum");
        Add(notify, new Alarm(this, $"FirehoseConversionFailed-{name}", new AlarmProps
        {
            AlarmName = AlarmNamePrefix + $"FirehoseConversionFailed-{name}",
            AlarmDescription = $"{name} rows failed Parquet conversion (schema drift?): they are in the raw bucket under errors/{name}/",
            Metric = failedConversion,
            Threshold = 0,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        }));
        new MetricFilter(this, $"ProcessingFailedFilter-{name}", new MetricFilterProps
        {
            LogGroup = pipeline.TransformLogs,
            // The transformation logs one {"recordId","error"} line per record it returns as ProcessingFailed.
            FilterPattern = FilterPattern.Exists("$.error"),
            MetricNamespace = Namespace,
            MetricName = ProcessingFailedMetric,
            MetricValue = "1",
            Dimensions = new Dictionary<string, string> { ["Pipeline"] = name },
        });
        var processingFailed = new Metric(new MetricProps
        {
            Namespace = Namespace,
            MetricName = ProcessingFailedMetric,
            DimensionsMap = new Dictionary<string, string> { ["Pipeline"] = name },
            Statistic = "Sum",
            Period = Duration.Minutes(15),
        });
        Add(notify, new Alarm(this, $"ProcessingFailed-{name}", new AlarmProps
        {
            AlarmName = AlarmNamePrefix + $"ProcessingFailed-{name}",
            AlarmDescription = $"The {name} transformation refused records: they are kept under errors/{name}/processing-failed/ (README \"Replay\")",
            Metric = processingFailed,
            Threshold = 0,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        }));
        var transformErrors = pipeline.Transform.MetricErrors(new MetricOptions { Period = Duration.Minutes(15), Statistic = "Sum" });
        Add(notify, new Alarm(this, $"TransformErrors-{name}", new AlarmProps
        {
            AlarmName = AlarmNamePrefix + $"TransformErrors-{name}",
            AlarmDescription = $"The Firehose transformation Lambda ({name}) failed",
            Metric = transformErrors,
            Threshold = 0,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        }));

        return
        [
            Graph($"Firehose {name}: delivery success", [deliverySuccess]),
            Graph($"Firehose {name}: data freshness (s)", [freshness]),
            Graph($"Firehose {name}: failed conversions / transform errors / refused records", [failedConversion, transformErrors, processingFailed]),
        ];
    }

    private static GraphWidget Graph(string title, IEnumerable<IMetric> metrics, int width = 6) =>
        new(new GraphWidgetProps { Title = title, Left = metrics.ToArray(), Width = width, Height = 6 });
}

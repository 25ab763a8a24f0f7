using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SNS;
using Constructs;
using ShelfAgent.Cloud.Ingest;
using ShelfAgent.Cloud.Lake;

namespace ShelfAgent.Cloud.Monitoring;

/// <summary>
/// Alarms on the ways data stops flowing (rule errors, a stream consumer falling behind, Firehose failing to
/// transform, convert or deliver) to an operations topic, and one dashboard for the pipeline.
/// </summary>
public sealed class Operations : Construct
{
    /// <summary>Custom metric namespace of the rule-error metric filter.</summary>
    public const string Namespace = "ShelfAgent";

    /// <summary>Rule-error metric name (dimension RuleName).</summary>
    public const string RuleErrorsMetric = "IotRuleErrors";

    /// <summary>Iterator age that means Firehose is falling behind the stream (10 minutes).</summary>
    public const double IteratorAgeThresholdMs = 10 * 60 * 1000;

    /// <summary>Creates the alarms and the dashboard.</summary>
    public Operations(Construct scope, string id, StageNaming naming, IngestRules ingest, DataLake lake)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(naming);
        ArgumentNullException.ThrowIfNull(ingest);
        ArgumentNullException.ThrowIfNull(lake);

        AlarmTopic = new Topic(this, "OpsAlarms", new TopicProps { DisplayName = "ShelfAgent pipeline alarms" });
        var notify = new SnsAction(AlarmTopic);
        DashboardName = $"ShelfAgent-{naming.Stage}";

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
        foreach (var rule in ingest.Rules)
        {
            string ruleName = rule.RuleName!;
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
            AlarmDescription = "Firehose is more than 10 minutes behind the Kinesis stream (24 h retention: data loss ahead)",
            Metric = iteratorAge,
            Threshold = IteratorAgeThresholdMs,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 3,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        }));

        var firehoseWidgets = new List<IWidget>();
        foreach (var pipeline in new[] { lake.Delivery, lake.EventDelivery })
        {
            firehoseWidgets.AddRange(DeliveryAlarms(pipeline, notify));
        }

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
            Graph("Stream write throttling", [ingest.Stream.MetricPutRecordsThrottledRecords(new MetricOptions { Statistic = "Sum", Period = Duration.Minutes(5) })]));
    }

    /// <summary>Topic the alarms notify (subscribe the on-call address after deploy).</summary>
    public Topic AlarmTopic { get; }

    /// <summary>The dashboard.</summary>
    public Dashboard Dashboard { get; }

    /// <summary>The dashboard's name.</summary>
    public string DashboardName { get; }

    private static void Add(SnsAction notify, Alarm alarm) => alarm.AddAlarmAction(notify);

    /// <summary>Delivery failure, staleness, conversion failure and transformation errors of one Firehose.</summary>
    private IWidget[] DeliveryAlarms(DeliveryPipeline pipeline, SnsAction notify)
    {
        string name = pipeline.Spec.Name;
        string delivery = pipeline.DeliveryStream.Ref;
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
            AlarmDescription = $"{name} rows failed Parquet conversion (schema drift?): they are in the raw bucket under errors/{name}/",
            Metric = failedConversion,
            Threshold = 0,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        }));
        var transformErrors = pipeline.Transform.MetricErrors(new MetricOptions { Period = Duration.Minutes(15), Statistic = "Sum" });
        Add(notify, new Alarm(this, $"TransformErrors-{name}", new AlarmProps
        {
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
            Graph($"Firehose {name}: failed conversions / transform errors", [failedConversion, transformErrors]),
        ];
    }

    private static GraphWidget Graph(string title, IEnumerable<IMetric> metrics) =>
        new(new GraphWidgetProps { Title = title, Left = metrics.ToArray(), Width = 6, Height = 6 });
}

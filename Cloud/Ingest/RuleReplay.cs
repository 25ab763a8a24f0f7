using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Lambda.EventSources;
using Constructs;
using ShelfAgent.Cloud.Lake;

namespace ShelfAgent.Cloud.Ingest;

/// <summary>
/// Puts back what did not reach the lake (Lambda/rule-replay.js), where its rule sends it (telemetry to the stream,
/// events and alerts, and forecasts, to their Firehose): the lake rules' error action messages from the replay queue
/// (automatically, with SQS retries and a dead-letter queue), and, run by hand, Firehose error records under errors/
/// of the raw bucket (README "Replay").
/// </summary>
public sealed class RuleReplay : Construct
{
    /// <summary>Creates the function and its queue subscription.</summary>
    public RuleReplay(Construct scope, string id, IngestRules ingest, DataLake lake)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(ingest);
        ArgumentNullException.ThrowIfNull(lake);
        var buckets = lake.Buckets;
        var replay = InlineNodeFunction.Create(this, "Function", LambdaSource.Replay,
            "Replays failed IoT rule actions and Firehose error records onto the shelf stream or their Firehose",
            Duration.Minutes(1),
            new Dictionary<string, string>
            {
                ["STREAM_NAME"] = ingest.Stream.StreamName,
                ["EVENTS_DELIVERY"] = lake.EventDelivery.DeliveryStream.Ref,
                ["FORECASTS_DELIVERY"] = lake.ForecastDelivery.DeliveryStream.Ref,
            });
        Function = replay.Function;
        Logs = replay.Logs;
        Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["kinesis:PutRecords"],
            Resources = [ingest.Stream.StreamArn],
        }));
        Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["firehose:PutRecordBatch"],
            Resources = [lake.EventDelivery.DeliveryStream.AttrArn, lake.ForecastDelivery.DeliveryStream.AttrArn],
        }));
        Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["s3:ListBucket"],
            Resources = [buckets.Raw.BucketArn],
            Conditions = new Dictionary<string, object>
            {
                ["StringLike"] = new Dictionary<string, object> { ["s3:prefix"] = LakeBuckets.RawErrorsPrefix + "*" },
            },
        }));
        Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["s3:GetObject"],
            Resources = [buckets.Raw.ArnForObjects(LakeBuckets.RawErrorsPrefix + "*")],
        }));
        Function.AddEventSource(new SqsEventSource(ingest.ReplayQueue, new SqsEventSourceProps
        {
            BatchSize = 10,
            ReportBatchItemFailures = true,
        }));
    }

    /// <summary>The replay function.</summary>
    public Function Function { get; }

    /// <summary>Its log group.</summary>
    public Amazon.CDK.AWS.Logs.LogGroup Logs { get; }
}

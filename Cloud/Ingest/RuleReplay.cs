using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Lambda.EventSources;
using Constructs;
using ShelfAgent.Cloud.Lake;

namespace ShelfAgent.Cloud.Ingest;

/// <summary>
/// Puts back on the stream what did not reach it (Lambda/rule-replay.js): the stream rules' error action
/// messages from the replay queue (automatically, with SQS retries and a dead-letter queue), and, run by hand,
/// Firehose error records under errors/ of the raw bucket (README "Replay").
/// </summary>
public sealed class RuleReplay : Construct
{
    /// <summary>Creates the function and its queue subscription.</summary>
    public RuleReplay(Construct scope, string id, IngestRules ingest, LakeBuckets buckets)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(ingest);
        ArgumentNullException.ThrowIfNull(buckets);
        var replay = InlineNodeFunction.Create(this, "Function", LambdaSource.Replay,
            "Replays failed IoT rule actions and Firehose error records onto the shelf stream",
            Duration.Minutes(1),
            new Dictionary<string, string> { ["STREAM_NAME"] = ingest.Stream.StreamName });
        Function = replay.Function;
        Logs = replay.Logs;
        Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["kinesis:PutRecords"],
            Resources = [ingest.Stream.StreamArn],
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

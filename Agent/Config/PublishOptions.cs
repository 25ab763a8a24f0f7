using System.Text.RegularExpressions;
using ShelfAgent.Contract;

namespace ShelfAgent.Config;

/// <summary><c>Publish</c>: how readings leave the outbox.</summary>
public sealed partial class PublishOptions
{
    /// <summary><c>Publish:IntervalMs</c>: how often a batch of live readings is sent. A backlog drains as fast as the rate limits allow.</summary>
    public int IntervalMs { get; set; } = 5000;

    /// <summary><c>Publish:MaxPayloadBytes</c>: the largest telemetry payload (AWS IoT's limit is 128 KB).</summary>
    public int MaxPayloadBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// <c>Publish:BacklogSchema</c>: <c>shelf.telemetry.v2</c> (compact, columnar; default) or <c>shelf.telemetry.v1</c> for backlog
    /// batches.
    /// </summary>
    public TelemetrySchema BacklogSchema { get; set; } = TelemetrySchema.V2;

    /// <summary>
    /// <c>Publish:LiveSchema</c>: <c>shelf.telemetry.v2</c> (default) or <c>shelf.telemetry.v1</c> for batches of live readings only.
    /// v2 is about a sixth of the bytes: one 5 KB metering unit of AWS IoT per 24-slot batch instead of three (issue 21).
    /// </summary>
    public TelemetrySchema LiveSchema { get; set; } = TelemetrySchema.V2;

    /// <summary>
    /// <c>Publish:BasicIngestRule</c>: the AWS IoT rule that takes telemetry through Basic Ingest, so the device publishes it to
    /// <c>$aws/rules/{rule}/dt/shelf/{store}/{thing}/telemetry</c> and AWS does not charge messaging for it (developer guide,
    /// "Reducing messaging costs with Basic Ingest"). Must be the Cloud stack's telemetry rule, <c>shelfagent_{stage}_telemetry</c>
    /// (default: the stage <c>dev</c> of Cloud/cdk.json); empty: telemetry goes to the plain topic, where subscribers see it.
    /// </summary>
    public string BasicIngestRule { get; set; } = DefaultBasicIngestRule;

    /// <summary>The telemetry rule of the Cloud stack's default stage (cdk.json <c>stage: dev</c>).</summary>
    public const string DefaultBasicIngestRule = "shelfagent_dev_telemetry";

    /// <summary>Problems with the values, each with its key.</summary>
    public IEnumerable<(string Key, string Message)> Validate()
    {
        // AWS IoT rule names: [a-zA-Z0-9_]+, at most 128 characters (CreateTopicRule).
        if (BasicIngestRule.Length > 0 && !RuleName().IsMatch(BasicIngestRule))
        {
            yield return ("Publish:BasicIngestRule",
                $"must be an AWS IoT rule name (letters, digits and _, at most 128), e.g. {DefaultBasicIngestRule}, or empty for the plain topic " +
                $"(was \"{BasicIngestRule}\")");
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9_]{1,128}$")]
    private static partial Regex RuleName();

    /// <summary>
    /// <c>Publish:Readings</c>: <c>summaries</c> (default) publishes one reading per slot per minute, the minute's last sample with
    /// its summary (samples, least and most grams, faults), while the raw grams stay on the device (<c>Buffer:RawRetentionDays</c>,
    /// <c>upload-readings</c> job); <c>all</c> publishes every sample.
    /// </summary>
    public Stock.PublishedReadings Readings { get; set; } = Stock.PublishedReadings.Summaries;

    /// <summary>
    /// <c>Publish:SpreadSummaries</c>: with <c>Publish:Readings</c> summaries, send live readings once a minute at a second fixed by
    /// the thing name (between :10 and :55), so a fleet's summaries reach AWS IoT spread over the minute instead of all at :00
    /// (default true); false: every <c>Publish:IntervalMs</c>. Events and alerts go at once either way; no effect with <c>all</c>.
    /// </summary>
    public bool SpreadSummaries { get; set; } = true;
}

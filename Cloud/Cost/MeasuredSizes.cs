namespace ShelfAgent.Cloud.Cost;

/// <summary>
/// Bytes of the agent's messages for a 24-slot shelf, as its own encoders write them (`shelf-bench message-sizes`,
/// Bench/MessageSizes.cs). Cloud.Tests measures them again and fails when these drift from the agent.
/// </summary>
public static class MeasuredSizes
{
    /// <summary>Slots of the measured shelf.</summary>
    public const int Slots = 24;

    /// <summary>Topic bytes of a telemetry publish (dt/shelf/store-0042/shelf-0042-01/telemetry), metered with the payload.</summary>
    public const int TelemetryTopic = 43;

    /// <summary>
    /// Topic bytes of a telemetry publish through Basic Ingest, the agent's default
    /// ($aws/rules/shelfagent_dev_telemetry/dt/shelf/store-0042/shelf-0042-01/telemetry).
    /// </summary>
    public const int BasicIngestTelemetryTopic = 79;

    /// <summary>A live shelf.telemetry.v1 batch: 5 s of 1 Hz samples of 24 slots (120 readings), what the agent sent before issue 21.</summary>
    public const int LiveV1 = 14_019;

    /// <summary>The same 120 readings as shelf.telemetry.v2 — the shipped default (Publish:LiveSchema).</summary>
    public const int LiveV2 = 2_486;

    /// <summary>One minute's per-slot summaries (24 readings: the last sample with its summary; Publish:Readings summaries) as shelf.telemetry.v2.</summary>
    public const int MinuteV2 = 1_500;

    /// <summary>The same 24 summaries as shelf.telemetry.v1: the shipped default (a live batch is v1).</summary>
    public const int MinuteV1 = 4_479;

    /// <summary>A shelf.event.v1 pick.</summary>
    public const int Event = 168;

    /// <summary>A shelf.forecast.v1 of 24 slots.</summary>
    public const int Forecast = 3_906;
}

using ShelfAgent.Outbox;

namespace ShelfAgent.Contract;

/// <summary>A decoded telemetry message, whatever its schema version: what a consumer works with.</summary>
/// <param name="Schema">shelf.telemetry.v1 or shelf.telemetry.v2.</param>
/// <param name="Envelope">Sending thing and store.</param>
/// <param name="Sent">When the device built the message.</param>
/// <param name="Readings">The readings, in the message's order.</param>
/// <param name="Dropped">Evicted readings per slot reported by this message (empty when none).</param>
public sealed record TelemetryBatch(
    string Schema,
    TelemetryEnvelope Envelope,
    DateTimeOffset Sent,
    IReadOnlyList<StoredReading> Readings,
    IReadOnlyDictionary<string, long> Dropped);

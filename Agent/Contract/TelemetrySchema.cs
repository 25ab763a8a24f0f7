namespace ShelfAgent.Contract;

/// <summary>
/// The telemetry encodings a batch can go out in; <c>Publish:BacklogSchema</c> picks the one for batches that carry
/// backlog, <c>Publish:LiveSchema</c> the one for batches of live readings only. Written in agent.json and on the wire
/// as its schema id (<see cref="TelemetrySchemas.Text"/>).
/// </summary>
public enum TelemetrySchema
{
    /// <summary><c>shelf.telemetry.v1</c>: one object per reading (docs/data-contract.md).</summary>
    V1,

    /// <summary><c>shelf.telemetry.v2</c>: compact and columnar (docs/data-contract-v2.md).</summary>
    V2,
}

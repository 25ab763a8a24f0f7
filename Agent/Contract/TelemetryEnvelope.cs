namespace ShelfAgent.Contract;

/// <summary>Who sends a telemetry batch: the <c>thing</c> and <c>store</c> fields of every payload.</summary>
public sealed record TelemetryEnvelope(string ThingName, string StoreId);

namespace ShelfAgent.Stock;

/// <summary>One slot as last seen by the sampling loop (the device shadow reports it).</summary>
/// <param name="Slot">Slot id.</param>
/// <param name="Sku">Product.</param>
/// <param name="Count">Settled count; null before a count settled or in fault.</param>
/// <param name="Status">Status of the last reading.</param>
/// <param name="ExpectedEmpty">From the last forecast; null when unknown (no forecast yet, beyond 7 days, no count).</param>
/// <param name="SensorFault">Why the last reading was a fault; null when the sensor is healthy.</param>
public sealed record SlotSnapshot(string Slot, string Sku, int? Count, StockStatus Status, DateTimeOffset? ExpectedEmpty, string? SensorFault);

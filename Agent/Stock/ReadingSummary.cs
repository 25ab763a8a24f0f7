namespace ShelfAgent.Stock;

/// <summary>
/// What one slot's minute held, carried by the minute's last sample when the device publishes per-minute summaries
/// (docs/data-contract.md, "Per-minute summaries"). The raw samples stay in the device's buffer (<c>upload-readings</c>).
/// </summary>
/// <param name="Samples">Samples of the slot taken in the minute (≥ 1).</param>
/// <param name="GramsMin">Least grams of the minute's samples that had a weight; null when every sample was a fault.</param>
/// <param name="GramsMax">Most grams of those samples; null when every sample was a fault.</param>
/// <param name="Faults">Samples of the minute that were faults.</param>
public sealed record ReadingSummary(int Samples, double? GramsMin, double? GramsMax, int Faults);

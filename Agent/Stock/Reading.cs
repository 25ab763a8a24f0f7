namespace ShelfAgent.Stock;

/// <summary>
/// One slot's state at one instant, as it is buffered and published (<c>shelf.telemetry.v1</c> readings[]).
/// </summary>
/// <param name="Timestamp">When the sample was taken (UTC).</param>
/// <param name="Slot">Slot id from config, e.g. "A1".</param>
/// <param name="Sku">Product in the slot, e.g. "COLA-355".</param>
/// <param name="Grams">Net weight on the slot in grams; null when the sensor is in fault.</param>
/// <param name="Count">Items on the slot; null when the sensor is in fault.</param>
/// <param name="Status">ok | low | empty | fault.</param>
/// <param name="Reason">Why the reading is a fault (e.g. "timeout: HX711 not ready"), otherwise null.</param>
/// <param name="TimeUntrusted">True when the device's clock was not trusted at the sample (behind the time floor and not
/// synchronised, issue 14): <see cref="Timestamp"/> may be years off. Published as <c>timeUntrusted</c>.</param>
/// <param name="Summary">Set on a per-minute summary (<c>Publish:Readings</c> <c>summaries</c>): the reading is the slot's last sample of
/// its minute and this says what the minute held. Null on a plain sample. Published as <c>summary</c>.</param>
public sealed record Reading(
    DateTimeOffset Timestamp,
    string Slot,
    string Sku,
    double? Grams,
    int? Count,
    StockStatus Status,
    string? Reason = null,
    bool TimeUntrusted = false,
    ReadingSummary? Summary = null);

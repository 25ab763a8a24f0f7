namespace ShelfAgent.Stock.Forecasting;

/// <summary>One slot in a <c>shelf.forecast.v1</c>.</summary>
/// <param name="Slot">Slot id.</param>
/// <param name="Sku">Product.</param>
/// <param name="Count">Settled count; null while the sensor is in fault or before a count settled.</param>
/// <param name="RatePerHour">Expected picks per hour now.</param>
/// <param name="ExpectedEmpty">When the expected picks reach the count; null beyond 7 days or when the count is unknown.</param>
/// <param name="ProbEmpty">P(empty within the horizon); null when the count is unknown.</param>
/// <param name="Profile">Which demand shape fed the estimate.</param>
public sealed record SlotForecast(
    string Slot, string Sku, int? Count, double RatePerHour, DateTimeOffset? ExpectedEmpty, double? ProbEmpty, ProfileSource Profile)
{
    /// <summary>When the slot's next refill is expected from its learned rhythm; null while none is known (<see cref="RefillRhythm"/>).</summary>
    public DateTimeOffset? NextRefill { get; init; }

    /// <summary>The profile release behind a <see cref="ProfileSource.Cloud"/> estimate (<see cref="DemandProfile.Release"/>); null otherwise.</summary>
    public string? ProfileRelease { get; init; }
}

/// <summary>Every slot's outlook at one instant (<c>shelf.forecast.v1</c>), every <c>Stock:ForecastIntervalMinutes</c>.</summary>
public sealed record StockForecast(DateTimeOffset Timestamp, int HorizonMinutes, IReadOnlyList<SlotForecast> Slots) : IStockMessage;

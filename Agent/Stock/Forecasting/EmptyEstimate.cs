namespace ShelfAgent.Stock.Forecasting;

/// <summary>How likely a slot is to run out, and when.</summary>
/// <param name="Probability">P(count reaches 0 within the horizon).</param>
/// <param name="ExpectedEmpty">When the expected picks reach the count; null if not within <see cref="TimeToEmpty.Reach"/>.</param>
/// <param name="RatePerHour">Expected picks per hour now.</param>
public sealed record EmptyEstimate(double Probability, DateTimeOffset? ExpectedEmpty, double RatePerHour);

namespace ShelfAgent.Config;

/// <summary>
/// <c>Slots[].Sensor</c>: which sensor measures a slot and how to reach it.
/// Only the keys of the chosen <see cref="Type"/> are read.
/// </summary>
public sealed class SensorOptions
{
    /// <summary>Simulated | Hx711 | Nau7802 | Ads1115.</summary>
    public string Type { get; set; } = "Simulated";

    /// <summary>Simulated: standard deviation of the load cell's noise, in grams.</summary>
    public double NoiseGrams { get; set; } = 2.0;

    /// <summary>Simulated: mean picks per hour at this slot (a Poisson process).</summary>
    public double PicksPerHour { get; set; } = 40;

    /// <summary>Simulated: a restock to capacity happens when the count falls to this many items (−1: never).</summary>
    public int RestockAt { get; set; } = 1;

    /// <summary>Simulated: seed for reproducible runs (0: random).</summary>
    public int Seed { get; set; }

    /// <summary>Simulated: probability that one read fails as a real chip would (not ready), 0–1.</summary>
    public double FaultProbability { get; set; }

    /// <summary>Simulated: follow a store's day (quiet nights, lunch and evening peaks, busier weekends) instead of a flat rate.</summary>
    public bool DailyPattern { get; set; }
}

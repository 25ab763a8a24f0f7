namespace ShelfAgent.Update;

/// <summary>What the running agent shows of its health at one moment, for <see cref="UpdateHealth"/>.</summary>
/// <param name="Acknowledged">The broker acknowledged readings since start.</param>
/// <param name="Connected">Connected to the broker now.</param>
/// <param name="Stall">The watchdog's first stall since start, or null.</param>
public readonly record struct HealthSample(bool Acknowledged, bool Connected, string? Stall);

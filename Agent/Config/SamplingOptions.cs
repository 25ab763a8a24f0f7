namespace ShelfAgent.Config;

/// <summary><c>Sampling</c>: how often every slot's sensor is read.</summary>
public sealed class SamplingOptions
{
    /// <summary><c>Sampling:IntervalMs</c>.</summary>
    public int IntervalMs { get; set; } = 1000;
}

namespace ShelfAgent.Sensors;

/// <summary>
/// <c>Slots[].Sensor:Filter</c>: how a burst of conversions becomes one reading (<see cref="SampleFilter"/>). The names are
/// the text agent.json holds, read case-insensitively by the config loader, so they are a contract.
/// </summary>
public enum SampleFilterKind
{
    /// <summary>The middle value: one spike (a knock on the shelf) does not move it.</summary>
    Median,

    /// <summary>The mean after dropping the highest and lowest fifth: smoother than the median on a steady load.</summary>
    TrimmedMean,
}

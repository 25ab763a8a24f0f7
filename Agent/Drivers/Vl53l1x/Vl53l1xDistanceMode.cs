namespace ShelfAgent.Drivers.Vl53l1x;

#pragma warning disable CA1720 // "Short" and "Long" are ST's names for the modes, not the C# types.

/// <summary>
/// Ranging mode (datasheet, "Ranging performance"; UM2510 SetDistanceMode): Short reaches about 1.3 m and
/// copes best with ambient light; Long reaches up to 4 m in the dark but less under bright light.
/// </summary>
public enum Vl53l1xDistanceMode
{
    /// <summary>Up to about 1.3 m; better ambient immunity (the right mode for a shelf).</summary>
    Short = 1,

    /// <summary>Up to about 4 m (in the dark); the chip's mode after the default configuration.</summary>
    Long = 2,
}

namespace ShelfAgent.Sensors;

/// <summary>The text form of <see cref="SensorType"/> and what each type implies (bus, default address, stuck check).</summary>
public static class SensorTypes
{
    /// <summary>Every type, in the order the documentation lists them.</summary>
    public static IReadOnlyList<SensorType> All { get; } = [SensorType.Simulated, SensorType.Hx711, SensorType.Nau7802, SensorType.Ads1115, SensorType.Vl53l1x];

    /// <summary>The names as agent.json spells them, for messages: "Simulated, Hx711, Nau7802, Ads1115, Vl53l1x".</summary>
    public static string Names(string separator = ", ") => string.Join(separator, All);

    /// <summary>
    /// The type named by <paramref name="text"/>, matched case-insensitively as configuration keys are ("hx711" is
    /// Hx711). Only a name counts: not a number, not a list of names, not padded with spaces.
    /// </summary>
    public static bool TryParse(string? text, out SensorType type)
    {
        foreach (var t in All)
        {
            if (string.Equals(t.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                type = t;
                return true;
            }
        }

        type = default;
        return false;
    }

    /// <summary>A chip on a bus, built by <see cref="SensorFactory"/> (everything but the simulated cell).</summary>
    public static bool IsHardware(this SensorType type) => type is not SensorType.Simulated;

    /// <summary>On I2C (<c>Bus</c>, <c>Address</c>): what <c>doctor</c> probes and <c>sensors scan</c> finds.</summary>
    public static bool IsOnI2c(this SensorType type) => type is SensorType.Nau7802 or SensorType.Ads1115 or SensorType.Vl53l1x;

    /// <summary>A load-cell ADC, whose identical raw readings for minutes mean a stuck chip (so stuck detection is on by default).</summary>
    public static bool IsLoadCellAdc(this SensorType type) => type is SensorType.Hx711 or SensorType.Nau7802;

    /// <summary>The chip's address after power-up: ADS1115 0x48 (ADDR to GND), VL53L1X 0x29, NAU7802 0x2A (fixed).</summary>
    public static int DefaultI2cAddress(this SensorType type) => type switch
    {
        SensorType.Ads1115 => 0x48,
        SensorType.Vl53l1x => 0x29,
        _ => 0x2A,
    };
}

namespace ShelfAgent.Drivers.Hx711;

/// <summary>
/// Input channel and gain, chosen by the number of PD_SCK pulses after the 24 data bits
/// (HX711 datasheet, "Serial Interface", Table 3: 25 → A/128, 26 → B/32, 27 → A/64).
/// </summary>
public enum Hx711Gain
{
    /// <summary>Channel A, gain 128 (±20 mV full scale at 5 V AVDD); the power-on default.</summary>
    A128 = 25,

    /// <summary>Channel B, gain 32 (±80 mV).</summary>
    B32 = 26,

    /// <summary>Channel A, gain 64 (±40 mV).</summary>
    A64 = 27,
}

using System.Globalization;

namespace ShelfAgent.Sensors;

/// <summary>
/// <c>Slots[].Sensor</c>: which sensor measures a slot and how to reach it.
/// Only the keys of the chosen <see cref="Type"/> are read; <see cref="Validate"/> checks them.
/// </summary>
public sealed partial class SensorOptions
{
    /// <summary>Simulated | Hx711 | Nau7802 | Ads1115 | Vl53l1x (parsed once, by the config loader).</summary>
    public SensorType Type { get; set; } = SensorType.Simulated;

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

    /// <summary>Hx711: GPIO chip number (the N of /dev/gpiochipN); 0 on a Pi 4 and on a Pi 5 with kernel 6.6.45 or later.</summary>
    public int GpioChip { get; set; }

    /// <summary>Hx711: BCM GPIO number wired to DOUT.</summary>
    public int? DataLine { get; set; }

    /// <summary>Hx711: BCM GPIO number wired to PD_SCK.</summary>
    public int? ClockLine { get; set; }

    /// <summary>Hx711: 128 or 64 (channel A) or 32 (channel B). Nau7802: 1, 2, 4, … 128.</summary>
    public int Gain { get; set; } = 128;

    /// <summary>Hx711, Nau7802, Vl53l1x: how long to wait for a conversion (a ranging result) before the read is a fault, in ms.</summary>
    public int ReadyTimeoutMs { get; set; } = 1000;

    /// <summary>Nau7802, Ads1115, Vl53l1x: I2C bus number (the N of /dev/i2c-N); 1 is the Pi header's SDA/SCL (pins 3 and 5).</summary>
    public int Bus { get; set; } = 1;

    /// <summary>Nau7802: 0x2A (fixed). Ads1115: 0x48–0x4B (ADDR pin to GND, VDD, SDA, SCL). Vl53l1x: 0x29. Hex ("0x48") or decimal.</summary>
    public string? Address { get; set; }

    /// <summary>Nau7802: LDO (bridge excitation) voltage: 2.4, 2.7, 3.0, 3.3, 3.6, 3.9, 4.2 or 4.5.</summary>
    public double LdoVolts { get; set; } = 3.3;

    /// <summary>Nau7802: 10, 20, 40, 80 or 320 (default 10). Ads1115: 8, 16, 32, 64, 128, 250, 475 or 860 (default 128).</summary>
    public int? SamplesPerSecond { get; set; }

    /// <summary>Nau7802: input channel 1 or 2.</summary>
    public int Channel { get; set; } = 1;

    /// <summary>Ads1115: AIN0 … AIN3 (single-ended) or AIN0-AIN1, AIN0-AIN3, AIN1-AIN3, AIN2-AIN3.</summary>
    public string Input { get; set; } = "AIN0";

    /// <summary>Ads1115: PGA full-scale range in volts: 6.144, 4.096, 2.048, 1.024, 0.512 or 0.256.</summary>
    public double FullScaleVolts { get; set; } = 4.096;

    /// <summary>
    /// Ads1115: optional map from volts to the sensor's own unit (for an IR distance sensor: millimetres),
    /// linear between points, at least two, volts strictly increasing. Empty: the raw value is volts.
    /// </summary>
    public List<SensorCurvePoint> Curve { get; set; } = [];

    /// <summary>Hardware: conversions per reading, combined by <see cref="Filter"/> (1–64).</summary>
    public int Samples { get; set; } = 5;

    /// <summary>Hardware: Median or TrimmedMean (drops the highest and lowest fifth).</summary>
    public SampleFilterKind Filter { get; set; } = SampleFilterKind.Median;

    /// <summary>A reading below this many grams is a fault (e.g. a cell wired backwards); null: not checked.</summary>
    public double? MinGrams { get; set; }

    /// <summary>A reading above this many grams is a fault (overload); null: not checked.</summary>
    public double? MaxGrams { get; set; }

    /// <summary>Identical raw readings for this long mark the sensor stuck; 0 disables. Default: 600 for load cells, off otherwise.</summary>
    public int? StuckSeconds { get; set; }

    /// <summary>Parses an I2C address written in hex ("0x2A") or decimal ("42").</summary>
    public static bool TryParseAddress(string? text, out int address)
    {
        address = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        return text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? int.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out address)
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out address);
    }

    /// <summary>The address for the type: the configured one, or the chip's default (NAU7802 0x2A, ADS1115 0x48, VL53L1X 0x29).</summary>
    public int ResolvedAddress => TryParseAddress(Address, out var a) ? a : Type.DefaultI2cAddress();
}

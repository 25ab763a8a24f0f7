using System.Globalization;
using ShelfAgent.Drivers.Ads1115;
using ShelfAgent.Drivers.Nau7802;
using ShelfAgent.Validation;

namespace ShelfAgent.Sensors;

public sealed partial class SensorOptions
{
    /// <summary>
    /// Every problem with the keys of the chosen type, each named by its full key
    /// (<paramref name="keyPrefix"/> is e.g. <c>Slots:2:Sensor</c>).
    /// </summary>
    public IEnumerable<ConfigProblem> Validate(string keyPrefix)
    {
        var p = new List<ConfigProblem>();
        void Problem(string key, string message) => p.Add(new ConfigProblem($"{keyPrefix}:{key}", message));

        switch (Type)
        {
            case SensorType.Simulated:
                if (NoiseGrams < 0 || !double.IsFinite(NoiseGrams))
                {
                    Problem("NoiseGrams", $"must be 0 or more (was {Text(NoiseGrams)})");
                }

                if (PicksPerHour < 0 || !double.IsFinite(PicksPerHour))
                {
                    Problem("PicksPerHour", $"must be 0 or more (was {Text(PicksPerHour)})");
                }

                if (FaultProbability is < 0 or > 1 || double.IsNaN(FaultProbability))
                {
                    Problem("FaultProbability", $"must be from 0 to 1 (was {Text(FaultProbability)})");
                }

                return p;
            case SensorType.Hx711:
                ValidateHx711(Problem);
                break;
            case SensorType.Nau7802:
                ValidateNau7802(Problem);
                break;
            case SensorType.Vl53l1x:
                ValidateVl53l1x(Problem);
                break;
            case SensorType.Ads1115:
                ValidateAds1115(Problem);
                break;
            default:
                // Only a caller's bug gets here: the loader parses the text into a named type (SensorTypes.TryParse).
                Problem("Type", $"must be one of {SensorTypes.Names()} (was {(int)Type})");
                return p;
        }

        if (Samples is < 1 or > 64)
        {
            Problem("Samples", $"must be from 1 to 64 (was {Samples})");
        }

        if (!Enum.IsDefined(Filter))
        {
            // The loader refuses other text (SensorSectionReader); only a caller's bug gets a number here.
            Problem("Filter", $"must be Median or TrimmedMean (was {(int)Filter})");
        }

        if (MinGrams is { } min && MaxGrams is { } max && min >= max)
        {
            Problem("MaxGrams", $"must be greater than MinGrams {Text(min)} (was {Text(max)})");
        }

        if (StuckSeconds is < 0)
        {
            Problem("StuckSeconds", $"must be 0 (off) or more (was {StuckSeconds})");
        }

        if (ReadyTimeoutMs is < 10 or > 60_000)
        {
            Problem("ReadyTimeoutMs", $"must be from 10 to 60000 (was {ReadyTimeoutMs})");
        }

        return p;
    }

    private void ValidateHx711(Action<string, string> problem)
    {
        if (GpioChip is < 0 or > 63)
        {
            problem("GpioChip", $"must be from 0 to 63, the N of /dev/gpiochipN (was {GpioChip}; run gpiodetect)");
        }

        if (DataLine is null)
        {
            problem("DataLine", "is required for Hx711: the BCM GPIO number wired to DOUT (e.g. 5)");
        }
        else if (DataLine is < 0 or > 511)
        {
            problem("DataLine", $"must be a GPIO line number from 0 to 511 (was {DataLine})");
        }

        if (ClockLine is null)
        {
            problem("ClockLine", "is required for Hx711: the BCM GPIO number wired to PD_SCK (e.g. 6)");
        }
        else if (ClockLine is < 0 or > 511)
        {
            problem("ClockLine", $"must be a GPIO line number from 0 to 511 (was {ClockLine})");
        }

        if (DataLine is { } d && d == ClockLine)
        {
            problem("ClockLine", $"must differ from DataLine (both are {d})");
        }

        if (Gain is not (128 or 64 or 32))
        {
            problem("Gain", $"must be 128 or 64 (channel A) or 32 (channel B) for Hx711 (was {Gain})");
        }
    }

    private void ValidateNau7802(Action<string, string> problem)
    {
        ValidateBus(problem);
        if (Address is not null && (!TryParseAddress(Address, out var a) || a != Nau7802Settings.Address))
        {
            problem("Address", $"must be 0x2A for Nau7802, its only address (was \"{Address}\")");
        }

        if (!Nau7802Settings.Gains.Contains(Gain))
        {
            problem("Gain", $"must be 1, 2, 4, 8, 16, 32, 64 or 128 for Nau7802 (was {Gain})");
        }

        if (!Nau7802Settings.LdoVoltages.Any(v => Math.Abs(v - LdoVolts) < 0.01))
        {
            problem("LdoVolts", $"must be 2.4, 2.7, 3.0, 3.3, 3.6, 3.9, 4.2 or 4.5 (was {LdoVolts.ToString(CultureInfo.InvariantCulture)})");
        }

        if (SamplesPerSecond is { } r && !Nau7802Settings.Rates.Contains(r))
        {
            problem("SamplesPerSecond", $"must be 10, 20, 40, 80 or 320 for Nau7802 (was {r})");
        }

        if (Channel is not (1 or 2))
        {
            problem("Channel", $"must be 1 or 2 (was {Channel})");
        }
    }

    private void ValidateAds1115(Action<string, string> problem)
    {
        ValidateBus(problem);
        if (Address is not null && (!TryParseAddress(Address, out var a) || a is < 0x48 or > 0x4B))
        {
            problem("Address", $"must be 0x48, 0x49, 0x4A or 0x4B for Ads1115 (ADDR pin to GND, VDD, SDA or SCL; was \"{Address}\")");
        }

        if (!Ads1115Settings.TryParseInput(Input, out _))
        {
            problem("Input", $"must be AIN0, AIN1, AIN2, AIN3, AIN0-AIN1, AIN0-AIN3, AIN1-AIN3 or AIN2-AIN3 (was \"{Input}\")");
        }

        if (!Ads1115Settings.FullScales.Any(v => Math.Abs(v - FullScaleVolts) < 1e-6))
        {
            problem("FullScaleVolts", $"must be 6.144, 4.096, 2.048, 1.024, 0.512 or 0.256 (was {FullScaleVolts.ToString(CultureInfo.InvariantCulture)})");
        }

        if (SamplesPerSecond is { } r && !Ads1115Settings.Rates.Contains(r))
        {
            problem("SamplesPerSecond", $"must be 8, 16, 32, 64, 128, 250, 475 or 860 for Ads1115 (was {r})");
        }

        if (Curve.Count == 1)
        {
            problem("Curve", "needs at least two points ({ \"Volts\": …, \"Value\": … })");
        }

        for (var i = 1; i < Curve.Count; i++)
        {
            if (!(Curve[i].Volts > Curve[i - 1].Volts))
            {
                problem(
                    $"Curve:{i}:Volts",
                    $"must be greater than the previous point's Volts {Text(Curve[i - 1].Volts)} (was {Text(Curve[i].Volts)}; points sorted by voltage)");
            }
        }
    }

    private void ValidateBus(Action<string, string> problem)
    {
        if (Bus is < 0 or > 255)
        {
            problem("Bus", $"must be from 0 to 255, the N of /dev/i2c-N (was {Bus})");
        }
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}

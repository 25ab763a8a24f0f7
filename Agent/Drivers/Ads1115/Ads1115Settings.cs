using System.Globalization;

namespace ShelfAgent.Drivers.Ads1115;

/// <summary>Single-shot conversion settings.</summary>
/// <param name="Input">Input multiplexer.</param>
/// <param name="FullScaleVolts">PGA full-scale range: 6.144, 4.096, 2.048, 1.024, 0.512 or 0.256 V.</param>
/// <param name="SamplesPerSecond">Data rate: 8, 16, 32, 64, 128, 250, 475 or 860.</param>
public sealed record Ads1115Settings(Ads1115Input Input = Ads1115Input.Ain0, double FullScaleVolts = 4.096, int SamplesPerSecond = 128)
{
    /// <summary>Full-scale ranges, index = PGA code (codes 0b101–0b111 all mean 0.256 V).</summary>
    public static IReadOnlyList<double> FullScales { get; } = [6.144, 4.096, 2.048, 1.024, 0.512, 0.256];

    /// <summary>Data rates, index = DR code.</summary>
    public static IReadOnlyList<int> Rates { get; } = [8, 16, 32, 64, 128, 250, 475, 860];

    /// <summary>PGA[11:9] code.</summary>
    public int PgaCode
    {
        get
        {
            for (var i = 0; i < FullScales.Count; i++)
            {
                if (Math.Abs(FullScales[i] - FullScaleVolts) < 1e-6)
                {
                    return i;
                }
            }

            throw new ArgumentOutOfRangeException(nameof(FullScaleVolts), FullScaleVolts, "must be 6.144, 4.096, 2.048, 1.024, 0.512 or 0.256");
        }
    }

    /// <summary>DR[7:5] code.</summary>
    public int RateCode
    {
        get
        {
            var i = Rates.ToList().IndexOf(SamplesPerSecond);
            return i >= 0
                ? i
                : throw new ArgumentOutOfRangeException(nameof(SamplesPerSecond), SamplesPerSecond, "must be 8, 16, 32, 64, 128, 250, 475 or 860");
        }
    }

    /// <summary>
    /// The config word that starts one single-shot conversion: OS = 1 (start), MUX, PGA, MODE = 1
    /// (single-shot), DR, comparator disabled (COMP_QUE = 11).
    /// </summary>
    public ushort SingleShotConfig => (ushort)((1 << 15) | ((int)Input << 12) | (PgaCode << 9) | (1 << 8) | (RateCode << 5) | 0b11);

    /// <summary>Volts per code: full scale / 32768 (datasheet: LSB = FSR / 2^15; 125 µV at ±4.096 V).</summary>
    public double VoltsPerCode => FullScaleVolts / 32768.0;

    /// <summary>One conversion period.</summary>
    public TimeSpan ConversionPeriod => TimeSpan.FromSeconds(1.0 / SamplesPerSecond);

    /// <summary>Parses "AIN0" … "AIN3" or "AIN0-AIN1", "AIN0-AIN3", "AIN1-AIN3", "AIN2-AIN3".</summary>
    public static bool TryParseInput(string? text, out Ads1115Input input)
    {
        input = default;
        switch (text?.Replace(" ", "", StringComparison.Ordinal).ToUpper(CultureInfo.InvariantCulture))
        {
            case "AIN0": input = Ads1115Input.Ain0; return true;
            case "AIN1": input = Ads1115Input.Ain1; return true;
            case "AIN2": input = Ads1115Input.Ain2; return true;
            case "AIN3": input = Ads1115Input.Ain3; return true;
            case "AIN0-AIN1": input = Ads1115Input.Ain0MinusAin1; return true;
            case "AIN0-AIN3": input = Ads1115Input.Ain0MinusAin3; return true;
            case "AIN1-AIN3": input = Ads1115Input.Ain1MinusAin3; return true;
            case "AIN2-AIN3": input = Ads1115Input.Ain2MinusAin3; return true;
            default: return false;
        }
    }
}

namespace ShelfAgent.Drivers.Nau7802;

/// <summary>How the NAU7802 is set up.</summary>
/// <param name="Gain">PGA gain: 1, 2, 4, 8, 16, 32, 64 or 128.</param>
/// <param name="LdoVolts">Internal LDO output (excitation of the bridge): 2.4, 2.7, 3.0, 3.3, 3.6, 3.9, 4.2 or 4.5 V.</param>
/// <param name="SamplesPerSecond">Conversion rate: 10, 20, 40, 80 or 320.</param>
/// <param name="Channel">Input channel 1 or 2.</param>
public sealed record Nau7802Settings(int Gain = 128, double LdoVolts = 3.3, int SamplesPerSecond = 10, int Channel = 1)
{
    /// <summary>The fixed 7-bit I2C address.</summary>
    public const int Address = 0x2A;

    /// <summary>Gains the PGA offers.</summary>
    public static IReadOnlyList<int> Gains { get; } = [1, 2, 4, 8, 16, 32, 64, 128];

    /// <summary>LDO voltages, index = 7 − VLDO code (VLDO 0b000 = 4.5 V … 0b111 = 2.4 V).</summary>
    public static IReadOnlyList<double> LdoVoltages { get; } = [2.4, 2.7, 3.0, 3.3, 3.6, 3.9, 4.2, 4.5];

    /// <summary>Rates, with CRS codes 0, 1, 2, 3 and 7.</summary>
    public static IReadOnlyList<int> Rates { get; } = [10, 20, 40, 80, 320];

    /// <summary>GAINS[2:0] code: log2 of the gain.</summary>
    public byte GainCode => Gains.Contains(Gain) ? (byte)int.Log2(Gain) : throw new ArgumentOutOfRangeException(nameof(Gain), Gain, "must be 1, 2, 4, … 128");

    /// <summary>VLDO[5:3] code.</summary>
    public byte LdoCode
    {
        get
        {
            for (var i = 0; i < LdoVoltages.Count; i++)
            {
                if (Math.Abs(LdoVoltages[i] - LdoVolts) < 0.01)
                {
                    return (byte)(7 - i);
                }
            }

            throw new ArgumentOutOfRangeException(nameof(LdoVolts), LdoVolts, "must be 2.4, 2.7, 3.0, 3.3, 3.6, 3.9, 4.2 or 4.5");
        }
    }

    /// <summary>CRS[6:4] code.</summary>
    public byte RateCode => SamplesPerSecond switch
    {
        10 => 0,
        20 => 1,
        40 => 2,
        80 => 3,
        320 => 7,
        _ => throw new ArgumentOutOfRangeException(nameof(SamplesPerSecond), SamplesPerSecond, "must be 10, 20, 40, 80 or 320"),
    };

    /// <summary>One conversion period.</summary>
    public TimeSpan ConversionPeriod => TimeSpan.FromSeconds(1.0 / SamplesPerSecond);
}

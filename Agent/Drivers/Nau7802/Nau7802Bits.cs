namespace ShelfAgent.Drivers.Nau7802;

/// <summary>Bit masks inside NAU7802 registers (datasheet, register descriptions).</summary>
public static class Nau7802Bits
{
    /// <summary>PU_CTRL: register reset.</summary>
    public const byte RR = 1 << 0;

    /// <summary>PU_CTRL: power up digital.</summary>
    public const byte PUD = 1 << 1;

    /// <summary>PU_CTRL: power up analog.</summary>
    public const byte PUA = 1 << 2;

    /// <summary>PU_CTRL: power-up ready (read only).</summary>
    public const byte PUR = 1 << 3;

    /// <summary>PU_CTRL: cycle start (conversions run).</summary>
    public const byte CS = 1 << 4;

    /// <summary>PU_CTRL: cycle ready, a conversion is available (read only).</summary>
    public const byte CR = 1 << 5;

    /// <summary>PU_CTRL: AVDD from the internal LDO.</summary>
    public const byte AVDDS = 1 << 7;

    /// <summary>CTRL2: calibration start; reads 1 until calibration finishes.</summary>
    public const byte CALS = 1 << 2;

    /// <summary>CTRL2: calibration error (CAL_ERR).</summary>
    public const byte CALERR = 1 << 3;

    /// <summary>CTRL2: channel select (0 = channel 1).</summary>
    public const byte CHS = 1 << 7;

    /// <summary>ADC register: REG_CHPS = 0b11 turns the clock chopper off, as the datasheet recommends.</summary>
    public const byte RegChpsOff = 0b11 << 4;

    /// <summary>PGA_PWR: enable the PGA output bypass capacitor (channel 2 input cap used as decoupling).</summary>
    public const byte PgaCapEn = 1 << 7;
}

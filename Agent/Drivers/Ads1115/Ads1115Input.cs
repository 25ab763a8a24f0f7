namespace ShelfAgent.Drivers.Ads1115;

/// <summary>Input multiplexer MUX[14:12] (datasheet, Config Register).</summary>
public enum Ads1115Input
{
    /// <summary>AIN0 − AIN1 (default).</summary>
    Ain0MinusAin1 = 0b000,

    /// <summary>AIN0 − AIN3.</summary>
    Ain0MinusAin3 = 0b001,

    /// <summary>AIN1 − AIN3.</summary>
    Ain1MinusAin3 = 0b010,

    /// <summary>AIN2 − AIN3.</summary>
    Ain2MinusAin3 = 0b011,

    /// <summary>AIN0 against GND.</summary>
    Ain0 = 0b100,

    /// <summary>AIN1 against GND.</summary>
    Ain1 = 0b101,

    /// <summary>AIN2 against GND.</summary>
    Ain2 = 0b110,

    /// <summary>AIN3 against GND.</summary>
    Ain3 = 0b111,
}

namespace ShelfAgent.Drivers.Hx711;

/// <summary>Pure conversions of the HX711's 24-bit output word.</summary>
public static class Hx711Code
{
    /// <summary>Largest code: 0x7FFFFF, which the chip also outputs when the input is above full scale.</summary>
    public const int Max = 0x7FFFFF;

    /// <summary>Smallest code: 0x800000 as two's complement, also the below-full-scale output.</summary>
    public const int Min = -0x800000;

    /// <summary>Sign-extends a 24-bit two's complement word (HX711 datasheet, "Serial Interface").</summary>
    public static int FromWord(uint word)
    {
        word &= 0xFFFFFF;
        return (word & 0x800000) != 0 ? (int)word - 0x1000000 : (int)word;
    }

    /// <summary>True for the two saturation codes.</summary>
    public static bool IsSaturated(int code) => code is Max or Min;
}

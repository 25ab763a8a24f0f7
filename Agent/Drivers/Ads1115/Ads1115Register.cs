namespace ShelfAgent.Drivers.Ads1115;

/// <summary>ADS1115 address-pointer values (datasheet "Register Map", Address Pointer Register).</summary>
public enum Ads1115Register : byte
{
    /// <summary>Conversion result, 16-bit two's complement, read only.</summary>
    Conversion = 0x00,

    /// <summary>Config: OS[15], MUX[14:12], PGA[11:9], MODE[8], DR[7:5], comparator [4:0]; reset 0x8583.</summary>
    Config = 0x01,

    /// <summary>Comparator low threshold.</summary>
    LoThresh = 0x02,

    /// <summary>Comparator high threshold.</summary>
    HiThresh = 0x03,
}

using ShelfAgent.Hardware;

namespace ShelfAgent.Drivers;

/// <summary>What a device answering at an I2C address most likely is, for <c>sensors scan</c>.</summary>
public static class KnownI2cChips
{
    /// <summary>A guess from the address alone; null if nothing common lives there.</summary>
    public static string? Guess(int address) => address switch
    {
        0x2A => "NAU7802 load-cell ADC (Type Nau7802)",
        >= 0x48 and <= 0x4B => "ADS1115/ADS1015 ADC (Type Ads1115; ADDR pin to GND=0x48, VDD=0x49, SDA=0x4A, SCL=0x4B)",
        0x29 => "VL53L0X/VL53L1X time-of-flight distance sensor (no driver yet)",
        0x68 => "DS3231/DS1307 real-time clock (good: keeps TLS time valid at boot)",
        0x3C or 0x3D => "SSD1306 OLED display",
        0x76 or 0x77 => "BME280/BMP280 environment sensor, or a TCA9548A multiplexer",
        >= 0x70 and <= 0x75 => "TCA9548A I2C multiplexer",
        _ => null,
    };

    /// <summary>Confirms a guess by reading an identifying register where the chip has one.</summary>
    public static string Identify(II2cDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var guess = Guess(device.Address) ?? "unknown device";
        if (device.Address != 0x2A)
        {
            return guess;
        }

        try
        {
            // NAU7802 datasheet: register 0x1F (revision id) reads 0xXF.
            Span<byte> rev = stackalloc byte[1];
            device.WriteRead([0x1F], rev);
            return (rev[0] & 0x0F) == 0x0F ? guess + $", confirmed by revision register 0x{rev[0]:X2}" : $"unknown device (not an NAU7802: register 0x1F reads 0x{rev[0]:X2})";
        }
        catch (HardwareException)
        {
            return guess;
        }
    }
}

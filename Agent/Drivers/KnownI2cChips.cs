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
        0x29 => "VL53L1X time-of-flight distance sensor (Type Vl53l1x), or a VL53L0X (no driver)",
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
        if (device.Address == 0x29)
        {
            return IdentifyTimeOfFlight(device, guess);
        }

        if (device.Address != 0x2A)
        {
            return guess;
        }

        try
        {
            // NAU7802 datasheet: register 0x1F (revision id) reads 0xXF.
            Span<byte> rev = stackalloc byte[1];
            device.WriteRead([0x1F], rev);
            return (rev[0] & 0x0F) == 0x0F
                ? guess + $", confirmed by revision register 0x{rev[0]:X2}"
                : $"unknown device (not an NAU7802: register 0x1F reads 0x{rev[0]:X2})";
        }
        catch (HardwareException)
        {
            return guess;
        }
    }

    private static string IdentifyTimeOfFlight(II2cDevice device, string guess)
    {
        try
        {
            // First a VL53L0X check that writes no data: its 8-bit index 0xC0–0xC2 reads EE AA 10. Only then the
            // VL53L1X's 16-bit index 0x010F (model id 0xEACC), which a VL53L0X would take as a register write.
            Span<byte> id = stackalloc byte[3];
            device.WriteRead([0xC0], id);
            if (id[0] == 0xEE && id[1] == 0xAA)
            {
                return "VL53L0X time-of-flight distance sensor (no driver: Type Vl53l1x needs a VL53L1X)";
            }

            Span<byte> model = stackalloc byte[2];
            device.WriteRead([0x01, 0x0F], model);
            var value = (model[0] << 8) | model[1];
            return value == 0xEACC
                ? "VL53L1X time-of-flight distance sensor (Type Vl53l1x), confirmed by model id 0xEACC"
                : $"unknown device (not a VL53L1X: model id register 0x010F reads 0x{value:X4})";
        }
        catch (HardwareException)
        {
            return guess;
        }
    }
}

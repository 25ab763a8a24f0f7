namespace ShelfAgent.Sensors;

/// <summary>
/// <c>Slots[].Sensor:Type</c>: which sensor measures a slot. Each name is the text agent.json holds (read
/// case-insensitively by the config loader, <see cref="SensorTypes.TryParse"/>), so the enum's names are a contract.
/// </summary>
public enum SensorType
{
    /// <summary>The simulated load cell: a shelf of items with picks and restocks; speaks grams, needs no hardware.</summary>
    Simulated,

    /// <summary>HX711 load-cell ADC on two GPIO lines (Drivers/Hx711).</summary>
    Hx711,

    /// <summary>NAU7802 load-cell ADC on I2C (Drivers/Nau7802).</summary>
    Nau7802,

    /// <summary>ADS1115 16-bit ADC on I2C, for an analog sensor (Drivers/Ads1115).</summary>
    Ads1115,

    /// <summary>VL53L1X time-of-flight distance sensor on I2C (Drivers/Vl53l1x).</summary>
    Vl53l1x,
}

using ShelfAgent.Sensors;

namespace ShelfAgent.Tests.Sensors;

public sealed class SensorOptionsValidationTests
{
    private static List<string> Problems(SensorOptions o) => o.Validate("Slots:2:Sensor").Select(p => p.ToString()).ToList();

    [Fact]
    public void Simulated_defaults_are_valid() => Assert.Empty(Problems(new SensorOptions()));

    [Fact]
    public void Hx711_needs_both_lines_and_names_the_keys()
    {
        var problems = Problems(new SensorOptions { Type = SensorType.Hx711 });

        Assert.Contains(problems, p => p.StartsWith("Slots:2:Sensor:DataLine: is required for Hx711", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Slots:2:Sensor:ClockLine: is required for Hx711", StringComparison.Ordinal));
    }

    [Fact]
    public void A_wired_hx711_is_valid()
        => Assert.Empty(Problems(new SensorOptions { Type = SensorType.Hx711, DataLine = 5, ClockLine = 6, Gain = 64 }));

    [Theory]
    [InlineData(SensorType.Hx711, "Gain", 100)]
    [InlineData(SensorType.Nau7802, "Gain", 3)]
    public void Gains_the_chip_does_not_have_are_rejected(SensorType type, string key, int gain)
    {
        var problems = Problems(new SensorOptions { Type = type, DataLine = 5, ClockLine = 6, Gain = gain });

        Assert.Contains(problems, p => p.StartsWith($"Slots:2:Sensor:{key}: must be", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(SensorType.Nau7802, "0x2A", true)]
    [InlineData(SensorType.Nau7802, "42", true)]
    [InlineData(SensorType.Nau7802, "0x2B", false)]
    [InlineData(SensorType.Ads1115, "0x4B", true)]
    [InlineData(SensorType.Ads1115, "0x4C", false)]
    [InlineData(SensorType.Ads1115, "banana", false)]
    public void I2c_addresses_are_checked_per_chip(SensorType type, string address, bool valid)
    {
        var problems = Problems(new SensorOptions { Type = type, Address = address });

        Assert.Equal(valid, !problems.Any(p => p.StartsWith("Slots:2:Sensor:Address", StringComparison.Ordinal)));
    }

    [Fact]
    public void Ads1115_checks_input_range_rate_and_curve_order()
    {
        var o = new SensorOptions
        {
            Type = SensorType.Ads1115,
            Input = "AIN5",
            FullScaleVolts = 3.3,
            SamplesPerSecond = 100,
            Curve = [new() { Volts = 1, Value = 300 }, new() { Volts = 0.5, Value = 800 }],
        };

        var problems = Problems(o);

        Assert.Contains(problems, p => p.StartsWith("Slots:2:Sensor:Input:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Slots:2:Sensor:FullScaleVolts:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Slots:2:Sensor:SamplesPerSecond:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Slots:2:Sensor:Curve:1:Volts:", StringComparison.Ordinal));
    }
}

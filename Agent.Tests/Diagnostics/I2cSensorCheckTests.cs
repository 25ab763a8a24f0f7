using ShelfAgent.Diagnostics;
using ShelfAgent.Sensors;
using ShelfAgent.Stock;
using ShelfAgent.Tests.Fakes;

namespace ShelfAgent.Tests.Diagnostics;

/// <summary>doctor's sensor check over a fake I2C bus that models the chips.</summary>
public sealed class I2cSensorCheckTests
{
    private static SlotOptions Slot(string id, SensorType type, string? address = null, int bus = 1) =>
        new() { Id = id, Sensor = new SensorOptions { Type = type, Address = address, Bus = bus } };

    [Fact]
    public void A_sensor_answering_at_its_address_is_ok_and_identified()
    {
        var hardware = new FakeHardware();
        var bus = new FakeI2cBus(1);
        bus.Chips[0x2A] = new FakeNau7802(new FakeClock());
        hardware.Buses[1] = bus;

        var finding = Assert.Single(I2cSensorCheck.Run([Slot("A1", SensorType.Nau7802)], hardware));

        Assert.Equal(("sensor A1", CheckStatus.Ok), (finding.Check, finding.Status));
        Assert.Contains("Nau7802 at 0x2A on /dev/i2c-1 answers: NAU7802", finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sensor_missing_at_its_address_fails_with_what_to_check()
    {
        var hardware = new FakeHardware();
        var bus = new FakeI2cBus(1);
        bus.Chips[0x48] = new FakeAds1115(new FakeClock());
        hardware.Buses[1] = bus;

        var findings = I2cSensorCheck.Run([Slot("A1", SensorType.Ads1115, "0x48"), Slot("B2", SensorType.Ads1115, "0x49")], hardware).ToList();

        Assert.Equal(CheckStatus.Ok, findings[0].Status);
        Assert.Equal(("sensor B2", CheckStatus.Fail), (findings[1].Check, findings[1].Status));
        Assert.Contains("Ads1115 at 0x49 on /dev/i2c-1: nothing answers", findings[1].Detail, StringComparison.Ordinal);
        Assert.Contains("ADDR pin", findings[1].Detail, StringComparison.Ordinal);
        Assert.Contains("shelf-agent sensors scan --bus 1", findings[1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bus_that_does_not_open_fails_each_of_its_sensors_saying_how_to_enable_it()
    {
        var hardware = new FakeHardware();

        var findings = I2cSensorCheck.Run([Slot("A1", SensorType.Vl53l1x, bus: 3), Slot("A2", SensorType.Nau7802, bus: 3)], hardware).ToList();

        Assert.All(findings, f => Assert.Equal(CheckStatus.Fail, f.Status));
        Assert.Contains("cannot open the bus", findings[0].Detail, StringComparison.Ordinal);
        Assert.Contains("dtparam=i2c_arm=on", findings[0].Detail, StringComparison.Ordinal);
        Assert.Equal(1, hardware.I2cOpens);
    }

    [Fact]
    public void Simulated_and_gpio_sensors_are_not_probed()
    {
        var hardware = new FakeHardware();

        Assert.Empty(I2cSensorCheck.Run([Slot("A1", SensorType.Simulated), Slot("A2", SensorType.Hx711)], hardware));
        Assert.Equal(0, hardware.I2cOpens);
    }
}

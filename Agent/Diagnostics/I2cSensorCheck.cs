using System.Globalization;
using ShelfAgent.Drivers;
using ShelfAgent.Hardware;
using ShelfAgent.Sensors;
using ShelfAgent.Stock;

namespace ShelfAgent.Diagnostics;

/// <summary>
/// doctor: each configured I2C sensor (Nau7802, Ads1115, Vl53l1x) answers at its address, through the same bus
/// abstraction the agent samples with (a fake bus in tests). One finding per slot, saying what to check when it does not.
/// </summary>
public static class I2cSensorCheck
{
    /// <summary>One finding per slot with an I2C sensor; none when no slot has one.</summary>
    public static IEnumerable<CheckResult> Run(IReadOnlyList<SlotOptions> slots, IHardwareAccess hardware)
    {
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(hardware);
        var opened = new Dictionary<int, (II2cBus? Bus, string? Problem)>();
        try
        {
            foreach (var slot in slots.Where(s => s.Sensor.Type.IsOnI2c()))
            {
                var sensor = slot.Sensor;
                var address = sensor.ResolvedAddress;
                var at = $"{sensor.Type} at 0x{address.ToString("X2", CultureInfo.InvariantCulture)} on /dev/i2c-{sensor.Bus}";
                var check = $"sensor {slot.Id}";
                if (!opened.TryGetValue(sensor.Bus, out var bus))
                {
                    try
                    {
                        bus = (hardware.OpenI2cBus(sensor.Bus), null);
                    }
                    catch (HardwareException e)
                    {
                        bus = (null, e.Message);
                    }

                    opened[sensor.Bus] = bus;
                }

                if (bus.Bus is null)
                {
                    yield return new(
                        check,
                        CheckStatus.Fail,
                        $"{at}: cannot open the bus ({bus.Problem}): enable I2C (raspi-config, dtparam=i2c_arm=on) and give the service user the i2c group");
                    continue;
                }

                bool answers;
                string? fault = null;
                try
                {
                    answers = bus.Bus.Probe(address);
                }
                catch (HardwareException e)
                {
                    answers = false;
                    fault = e.Message;
                }

                if (answers)
                {
                    using var device = bus.Bus.OpenDevice(address);
                    yield return new(check, CheckStatus.Ok, $"{at} answers: {KnownI2cChips.Identify(device)}");
                }
                else
                {
                    yield return new(
                        check,
                        CheckStatus.Fail,
                        $"{at}: nothing answers{(fault is null ? "" : $" ({fault})")}: check its power, SDA (pin 3) and SCL (pin 5) wiring" +
                        $"{(sensor.Type == SensorType.Ads1115 ? " and the ADDR pin" : "")}; " +
                        $"'shelf-agent sensors scan --bus {sensor.Bus}' lists what does answer");
                }
            }
        }
        finally
        {
            foreach (var (bus, _) in opened.Values)
            {
                bus?.Dispose();
            }
        }
    }
}

using System.CommandLine;
using ShelfAgent.Cli;
using ShelfAgent.Tests.Config;
using ShelfAgent.Tests.Fakes;

namespace ShelfAgent.Tests.Cli;

/// <summary>The technician's commands with a VL53L1X on the bus.</summary>
public sealed class Vl53l1xCommandTests : IDisposable
{
    private readonly FakeClock _clock = new();
    private readonly FakeHardware _hardware = new();
    private readonly ConfigFiles _files = new();

    [Fact]
    public async Task Scan_confirms_a_vl53l1x_by_its_model_id()
    {
        _hardware.Buses[1] = new FakeI2cBus(1) { Chips = { [0x29] = new FakeVl53l1x(_clock) } };
        using var output = new StringWriter();

        var code = await SensorsCommand.Create(_hardware, _clock).Parse(["scan"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = new StringWriter() });

        Assert.Equal(0, code);
        Assert.Contains(
            "0x29  VL53L1X time-of-flight distance sensor (Type Vl53l1x), confirmed by model id 0xEACC",
            output.ToString(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_names_another_model_at_0x29_without_writing_to_it()
    {
        var chip = new FakeVl53l1x(_clock);
        chip.SetModelId(0xEBAA);
        var bus = new FakeI2cBus(1) { Chips = { [0x29] = chip } };
        _hardware.Buses[1] = bus;
        using var output = new StringWriter();

        await SensorsCommand.Create(_hardware, _clock).Parse(["scan"]).InvokeAsync(new InvocationConfiguration { Output = output, Error = new StringWriter() });

        Assert.Contains("0x29  unknown device (not a VL53L1X: model id register 0x010F reads 0xEBAA)", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(bus.Log, m => !m.Read && m.Bytes.Length > 2);
    }

    [Fact]
    public async Task Calibrate_refuses_a_distance_slot_and_says_why()
    {
        var config = _files.Write(_files.ValidJson("""
            [ { "Id": "C1", "Sku": "SODA-355", "UnitGrams": 355, "Capacity": 9, "LowStockAt": 2,
                "Sensor": { "Type": "Vl53l1x", "EmptyDistanceMm": 600, "MmPerItem": 66 } } ]
            """));
        using var error = new StringWriter();
        var command = CalibrateCommand.Create(_hardware, _clock, new StringReader(""));

        var code = await command.Parse(["tare", "--slot", "C1", "--config", config, "--calibration", Path.Combine(_files.Dir, "cal.json")])
            .InvokeAsync(new InvocationConfiguration { Output = new StringWriter(), Error = error });

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("slot C1 uses a Vl53l1x distance sensor, which needs no calibration", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_files.Dir, "cal.json")));
    }

    public void Dispose() => _files.Dispose();
}

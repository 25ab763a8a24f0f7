using System.CommandLine;
using ShelfAgent.Cli;
using ShelfAgent.Hardware;
using ShelfAgent.Hardware.Linux;
using ShelfAgent.Sensors;
using ShelfAgent.Tests.Config;
using ShelfAgent.Tests.Fakes;

namespace ShelfAgent.Tests.Cli;

public sealed class SensorsCommandTests : IDisposable
{
    private readonly FakeClock _clock = new();
    private readonly FakeHardware _hardware = new();
    private readonly ConfigFiles _files = new();

    private async Task<(int Code, string Output, string Error)> RunAsync(IHardwareAccess hardware, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await SensorsCommand.Create(hardware, _clock).Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    private string Config(string sensorJson, double tareGrams = 250)
        => _files.Write(_files.ValidJson($$"""
            [ { "Id": "A1", "Sku": "COLA-355", "UnitGrams": 368, "TareGrams": {{tareGrams}}, "Capacity": 24, "LowStockAt": 4, "Sensor": {{sensorJson}} } ]
            """));

    [Fact]
    public async Task Scan_lists_the_addresses_that_answer_and_the_likely_chip()
    {
        _hardware.Buses[1] = new FakeI2cBus(1) { Chips = { [0x2A] = new FakeNau7802(_clock), [0x48] = new FakeAds1115(_clock) } };

        var (code, output, _) = await RunAsync(_hardware, "scan");

        Assert.Equal(0, code);
        Assert.Contains("I2C bus 1 (/dev/i2c-1): 2 devices answered", output, StringComparison.Ordinal);
        Assert.Contains("0x2A  NAU7802 load-cell ADC (Type Nau7802), confirmed by revision register 0x0F", output, StringComparison.Ordinal);
        Assert.Contains("0x48  ADS1115/ADS1015 ADC", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_on_this_machine_fails_with_one_line_saying_how_to_enable_i2c()
    {
        var (code, output, error) = await RunAsync(LinuxHardware.Instance, "scan", "--bus", "1");

        Assert.Equal(ExitCodes.Unavailable, code);
        Assert.Equal("", output);
        Assert.Equal(
            "sensors scan: /dev/i2c-1 not found: I2C is not enabled: run raspi-config nonint do_i2c 0, " +
            "or add dtparam=i2c_arm=on to /boot/firmware/config.txt, then reboot (bus 1)",
            error.Trim());
    }

    [Fact]
    public async Task Read_on_this_machine_fails_with_the_gpio_error_not_a_table_of_faults()
    {
        var config = Config("""{ "Type": "Hx711", "DataLine": 5, "ClockLine": 6 }""");

        var (code, _, error) = await RunAsync(
            LinuxHardware.Instance, "read", "--config", config, "--once", "--calibration", Path.Combine(_files.Dir, "cal.json"));

        Assert.Equal(ExitCodes.Unavailable, code);
        Assert.StartsWith(
            "sensors read: slot A1 (hx711 gpiochip0 DOUT=GPIO5 PD_SCK=GPIO6 gain 128): /dev/gpiochip0 not found",
            error.Trim(),
            StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Read_prints_raw_grams_count_and_status_per_slot()
    {
        _hardware.GpioChips[0] = new FakeGpioChip(0, new FakeHx711(_clock, Enumerable.Repeat(84_000u + 217_000u * 2, 10).ToArray()), 5, 6);
        var calibrationPath = Path.Combine(_files.Dir, "cal.json");
        await new CalibrationStore(calibrationPath).UpdateAsync(
            "A1", _ => new SlotCalibration { TareRaw = 84_000, Scale = 1000.0 / 217_000 }, CancellationToken.None);
        var config = Config("""{ "Type": "Hx711", "DataLine": 5, "ClockLine": 6, "Samples": 3 }""");

        var (code, output, error) = await RunAsync(_hardware, "read", "--config", config, "--once", "--calibration", calibrationPath);

        Assert.True(code == 0, error);
        var lines = output.Trim().Split('\n');
        Assert.StartsWith("SLOT", lines[0], StringComparison.Ordinal);
        // 2 000 g on a 250 g tray: 2 250 g gross, 5 cans of 368 g.
        Assert.Matches(@"^A1\s+hx711 .*\s518000\s+2250\.0\s+5\s+ok$", lines[1].TrimEnd());
    }

    [Fact]
    public async Task Read_shows_a_slot_whose_hardware_fails_as_a_row_with_its_error_and_hint_beside_the_working_slots()
    {
        // A1's HX711 answers; B1's NAU7802 is on I2C bus 1, which this fake machine does not have.
        _hardware.GpioChips[0] = new FakeGpioChip(0, new FakeHx711(_clock, Enumerable.Repeat(84_000u + 217_000u * 2, 10).ToArray()), 5, 6);
        var calibrationPath = Path.Combine(_files.Dir, "cal.json");
        await new CalibrationStore(calibrationPath).UpdateAsync(
            "A1", _ => new SlotCalibration { TareRaw = 84_000, Scale = 1000.0 / 217_000 }, CancellationToken.None);
        var config = _files.Write(_files.ValidJson("""
            [ { "Id": "A1", "Sku": "COLA-355", "UnitGrams": 368, "TareGrams": 250, "Capacity": 24,
                "Sensor": { "Type": "Hx711", "DataLine": 5, "ClockLine": 6, "Samples": 3 } },
              { "Id": "B1", "Sku": "WATER-500", "UnitGrams": 515, "TareGrams": 180, "Capacity": 18, "Sensor": { "Type": "Nau7802", "Bus": 1 } } ]
            """));

        var (code, output, error) = await RunAsync(_hardware, "read", "--config", config, "--once", "--calibration", calibrationPath);

        Assert.True(code == 0, error);
        var lines = output.Trim().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^A1\s+hx711 .*\s2250\.0\s+5\s+ok$", lines[1].TrimEnd());
        Assert.Matches(@"^B1\s+nau7802 .*\s-\s+-\s+-\s+fault: .*i2c-1.*", lines[2]);
    }

    [Fact]
    public async Task Read_of_an_uncalibrated_slot_shows_raw_and_says_how_to_calibrate()
    {
        _hardware.GpioChips[0] = new FakeGpioChip(0, new FakeHx711(_clock, [1234]), 5, 6);
        var config = Config("""{ "Type": "Hx711", "DataLine": 5, "ClockLine": 6, "Samples": 1 }""");

        var (code, output, _) = await RunAsync(_hardware, "read", "--config", config, "--once", "--calibration", Path.Combine(_files.Dir, "none.json"));

        Assert.Equal(0, code);
        Assert.Contains("fault: uncalibrated: run shelf-agent calibrate tare --slot A1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_rejects_sensor_settings_naming_the_key()
    {
        var config = Config("""{ "Type": "Hx711", "DataLine": 5 }""");

        var (code, _, error) = await RunAsync(_hardware, "read", "--config", config, "--once");

        Assert.Equal(ExitCodes.Config, code);
        Assert.Contains("Slots[A1].Sensor.ClockLine: is required for Hx711", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_names_the_slots_there_are_when_asked_for_another()
    {
        var config = Config("""{ "Type": "Simulated" }""");

        var (code, _, error) = await RunAsync(_hardware, "read", "--config", config, "--slot", "Z9", "--once");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("no slot \"Z9\"", error, StringComparison.Ordinal);
        Assert.Contains("(slots: A1)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_real_executable_fails_sensors_scan_without_a_stack_trace()
    {
        var (code, output) = await AgentProcess.RunAsync("sensors", "scan");

        Assert.Equal(ExitCodes.Unavailable, code);
        Assert.Contains("I2C is not enabled", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    public void Dispose() => _files.Dispose();
}

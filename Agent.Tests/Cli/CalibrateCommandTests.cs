using System.CommandLine;
using ShelfAgent.Cli;
using ShelfAgent.Hardware;
using ShelfAgent.Hardware.Linux;
using ShelfAgent.Sensors;
using ShelfAgent.Sensors.Simulated;
using ShelfAgent.Tests.Config;
using ShelfAgent.Tests.Fakes;

namespace ShelfAgent.Tests.Cli;

public sealed class CalibrateCommandTests : IDisposable
{
    private readonly FakeClock _clock = new();
    private readonly FakeHardware _hardware = new();
    private readonly ConfigFiles _files = new();
    private readonly FakeHx711 _hx711;
    private readonly string _config;
    private readonly string _calibration;

    public CalibrateCommandTests()
    {
        _hx711 = new FakeHx711(_clock, []);
        _hardware.GpioChips[0] = new FakeGpioChip(0, _hx711, 5, 6);
        _config = _files.Write(_files.ValidJson("""
            [ { "Id": "A1", "Sku": "COLA-355", "UnitGrams": 368, "TareGrams": 250, "Capacity": 24, "LowStockAt": 4,
                "Sensor": { "Type": "Hx711", "DataLine": 5, "ClockLine": 6, "Samples": 1 } } ]
            """));
        _calibration = Path.Combine(_files.Dir, "state", "calibration.json");
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(IHardwareAccess hardware, string input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var reader = new StringReader(input);
        var command = CalibrateCommand.Create(hardware, _clock, reader);
        var code = await command.Parse([.. args, "--config", _config, "--calibration", _calibration])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    private void Load(uint center, int count)
    {
        for (var i = 0; i < count; i++)
        {
            _hx711.Enqueue((uint)(center + (i % 3) - 1));
        }
    }

    [Fact]
    public async Task Tare_then_span_prompt_wait_for_steady_readings_and_save_the_factor()
    {
        Load(84_000, 60);
        var tare = await RunAsync(_hardware, "\n", "tare", "--slot", "A1");

        Assert.True(tare.Code == 0, tare.Error);
        Assert.Contains("Empty slot A1 (COLA-355)", tare.Output, StringComparison.Ordinal);
        Assert.Contains("Press Enter when ready", tare.Output, StringComparison.Ordinal);
        Assert.Matches(@"tare saved for slot A1: empty reads raw (83999\.9\d*|84000(\.\d+)?) → ", tare.Output);

        _hx711.ClearPending();
        Load(301_000, 60);
        var span = await RunAsync(_hardware, "\n", "span", "--slot", "a1", "--grams", "1000");

        Assert.True(span.Code == 0, span.Error);
        Assert.Contains("Place the 1000 g reference weight on slot A1", span.Output, StringComparison.Ordinal);
        Assert.Contains("factor 0.00460829 g per raw unit", span.Output, StringComparison.Ordinal);
        Assert.Contains("slot A1 reads 1250.0 g gross", span.Output, StringComparison.Ordinal);
        var saved = (await new CalibrationStore(_calibration).LoadAsync(CancellationToken.None)).Slots["A1"];
        Assert.Equal(84_000, saved.TareRaw!.Value, 0);
        Assert.Equal(1000.0 / 217_000, saved.Scale!.Value, 7);
    }

    [Fact]
    public async Task A_simulated_slot_is_calibrated_with_the_same_steps_and_then_reads_through_the_saved_calibration()
    {
        // Customers pick fast here: the simulation must hold the slot as the prompts ask, or nothing would settle.
        var config = _files.Write(_files.ValidJson("""
            [ { "Id": "A1", "Sku": "COLA-355", "UnitGrams": 368, "TareGrams": 150, "Capacity": 24, "LowStockAt": 4,
                "Sensor": { "Type": "Simulated", "PicksPerHour": 100000, "Seed": 7 } } ]
            """));
        async Task<(int Code, string Output, string Error)> Run(Command command, params string[] args)
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var code = await command.Parse([.. args, "--config", config, "--calibration", _calibration])
                .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
            return (code, output.ToString(), error.ToString());
        }

        var tare = await Run(CalibrateCommand.Create(_hardware, _clock, new StringReader("\n")), "tare", "--slot", "A1");
        var span = await Run(CalibrateCommand.Create(_hardware, _clock, new StringReader("\n")), "span", "--slot", "A1", "--grams", "1000");
        var read = await Run(SensorsCommand.Create(_hardware, _clock), "read", "--once");

        Assert.True(tare.Code == 0, tare.Error);
        Assert.Contains("Empty slot A1 (COLA-355)", tare.Output, StringComparison.Ordinal);
        Assert.Contains("Press Enter when ready", tare.Output, StringComparison.Ordinal);
        Assert.Contains("(simulated slot: its items are off, the tray stays)", tare.Output, StringComparison.Ordinal);
        Assert.Matches(@"reading simulated load cell \(COLA-355\) until steady\.* settled after \d+ readings", tare.Output);
        Assert.True(span.Code == 0, span.Error);
        Assert.Contains("(simulated slot: its items are off and the 1000 g weight is on the empty tray)", span.Output, StringComparison.Ordinal);
        Assert.Contains("slot A1 reads 1150.0 g gross", span.Output, StringComparison.Ordinal);
        // Raw counts, as a load cell's converter gives them: a tare and a span turn them into grams.
        var saved = (await new CalibrationStore(_calibration).LoadAsync(CancellationToken.None)).Slots["A1"];
        Assert.InRange(
            saved.TareRaw!.Value,
            SimulatedLoadCell.ZeroCounts + (145 * SimulatedLoadCell.CountsPerGram),
            SimulatedLoadCell.ZeroCounts + (155 * SimulatedLoadCell.CountsPerGram));
        Assert.Equal(1 / SimulatedLoadCell.CountsPerGram, saved.Scale!.Value, 5);
        // A fresh simulated shelf is full: 24 × 368 g on the 150 g tray, through the saved calibration.
        Assert.True(read.Code == 0, read.Error);
        Assert.Matches(@"(?m)^A1\s+simulated load cell \(COLA-355\)\s+\d{7}\s+89[5-9]\d\.\d\s+24\s+ok$", read.Output);
    }

    [Fact]
    public async Task Span_before_tare_says_to_tare_first()
    {
        var (code, _, error) = await RunAsync(_hardware, "\n", "span", "--slot", "A1", "--grams", "1000");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("run shelf-agent calibrate tare --slot A1 first", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readings_that_never_settle_are_refused_and_nothing_is_saved()
    {
        for (var i = 0; i < 40; i++)
        {
            _hx711.Enqueue((uint)(84_000 + i * 500)); // someone leaning on the shelf
        }

        var (code, _, error) = await RunAsync(_hardware, "", "tare", "--slot", "A1", "--yes", "--max-readings", "30");

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("readings did not settle after 30 readings", error, StringComparison.Ordinal);
        Assert.False(File.Exists(_calibration));
    }

    [Fact]
    public async Task Span_refuses_a_reference_weight_that_did_not_move_the_reading()
    {
        Load(84_000, 30);
        Assert.Equal(0, (await RunAsync(_hardware, "", "tare", "--slot", "A1", "--yes")).Code);

        var (code, _, error) = await RunAsync(_hardware, "", "span", "--slot", "A1", "--grams", "1000", "--yes");

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("is the weight on slot A1", error, StringComparison.Ordinal);
        Assert.Null((await new CalibrationStore(_calibration).LoadAsync(CancellationToken.None)).Slots["A1"].Scale);
    }

    [Fact]
    public async Task No_answer_to_the_prompt_is_a_usage_error()
    {
        Load(84_000, 5);
        var (code, _, error) = await RunAsync(_hardware, "", "tare", "--slot", "A1");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("pass --yes", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_this_machine_tare_fails_with_the_gpio_error_in_one_line()
    {
        var (code, _, error) = await RunAsync(LinuxHardware.Instance, "", "tare", "--slot", "A1", "--yes");

        Assert.Equal(ExitCodes.Unavailable, code);
        Assert.StartsWith("calibrate tare: /dev/gpiochip0 not found", error.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_real_executable_fails_calibrate_without_a_stack_trace()
    {
        var (code, output) = await AgentProcess.RunAsync("calibrate", "tare", "--slot", "A1", "--yes", "--config", _config, "--calibration", _calibration);

        Assert.Equal(ExitCodes.Unavailable, code);
        Assert.Contains("calibrate tare: /dev/gpiochip0 not found", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calibrate_refuses_clearly_when_the_agent_service_runs_on_the_same_buffer()
    {
        // The lock run holds (AgentRunLock): a flock per open file, so a second open in this process is refused like another's.
        using (var running = ShelfAgent.Storage.AgentRunLock.TryAcquire(Path.Combine(_files.Dir, "outbox.db")))
        {
            Assert.NotNull(running);
            var refused = await RunAsync(_hardware, "\n", "tare", "--slot", "A1");

            Assert.Equal(ExitCodes.Unavailable, refused.Code);
            Assert.Contains("the agent service is running", refused.Error, StringComparison.Ordinal);
            Assert.Contains("sudo systemctl stop shelf-agent", refused.Error, StringComparison.Ordinal);
            Assert.False(File.Exists(_calibration));
        }

        Load(84_000, 60);
        var after = await RunAsync(_hardware, "\n", "tare", "--slot", "A1");
        Assert.True(after.Code == 0, after.Error);
    }

    public void Dispose() => _files.Dispose();
}

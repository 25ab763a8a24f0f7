using System.CommandLine;
using System.Globalization;
using ShelfAgent.Composition;
using ShelfAgent.Drivers;
using ShelfAgent.Hardware;
using ShelfAgent.Sensors;
using ShelfAgent.Stock;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ShelfAgent.Cli;

/// <summary>
/// <c>shelf-agent sensors scan|read</c>: the technician's view of the hardware. On a machine without the
/// buses both fail with one line saying what to enable, and a non-zero exit code.
/// </summary>
public static class SensorsCommand
{
    /// <summary>Builds the command on the real buses, or on <paramref name="hardware"/> (fakes in tests).</summary>
    public static Command Create(IHardwareAccess? hardware = null, TimeProvider? time = null)
    {
        hardware ??= Buses.Real;
        time ??= TimeProvider.System;
        var command = new Command("sensors", "Find and read the shelf's sensors");
        command.Subcommands.Add(Scan(hardware));
        command.Subcommands.Add(Read(hardware, time));
        return command;
    }

    private static Command Scan(IHardwareAccess hardware)
    {
        var bus = CliOptions.WholeNumber(
            "--bus",
            "I2C bus number (the N of /dev/i2c-N; 1 is the header's pins 3 and 5)",
            "an I2C bus number from 0 to 255, the N of /dev/i2c-N (1 on a Pi's header pins 3 and 5)",
            1,
            0,
            255);
        var command = new Command("scan", "List the I2C addresses that answer and the chip each likely is") { bus };
        command.SetAction((parse, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var n = parse.GetValue(bus);
            try
            {
                using var b = hardware.OpenI2cBus(n);
                var found = new List<int>();
                for (var address = 0x03; address <= 0x77; address++)
                {
                    if (b.Probe(address))
                    {
                        found.Add(address);
                    }
                }

                output.WriteLine($"I2C bus {n} ({HardwareErrors.I2cPath(n)}): {found.Count} device{(found.Count == 1 ? "" : "s")} answered");
                foreach (var address in found)
                {
                    using var device = b.OpenDevice(address);
                    output.WriteLine($"  {HardwareErrors.FormatAddress(address)}  {KnownI2cChips.Identify(device)}");
                }

                if (found.Count == 0)
                {
                    output.WriteLine("  nothing answered: check 3.3 V and GND, SDA on pin 3 and SCL on pin 5, and each board's address jumpers");
                }

                return Task.FromResult(ExitCodes.Ok);
            }
            catch (Exception e) when (SlotCommandSupport.IsHardwareFault(e))
            {
                parse.InvocationConfiguration.Error.WriteLine($"sensors scan: {e.Message}");
                return Task.FromResult(SlotCommandSupport.ExitCodeFor(e));
            }
        });
        return command;
    }

    private static Command Read(IHardwareAccess hardware, TimeProvider time)
    {
        var config = CliOptions.Config();
        var slotOption = new Option<string?>("--slot") { Description = "Only this slot (default: all)" };
        var raw = new Option<bool>("--raw") { Description = "Show raw values only (no grams or counts), e.g. before calibrating" };
        var once = new Option<bool>("--once") { Description = "Print one table and exit (default: refresh until Ctrl-C)" };
        var calibration = CalibrationOption();
        var interval = CliOptions.WholeNumber(
            "--interval-ms", "Refresh interval", "a refresh interval in milliseconds, from 50 to 3600000", 1000, 50, 3_600_000);
        var command = new Command("read", "Live table of raw value, grams, count and status per slot, until Ctrl-C")
        {
            config, slotOption, raw, once, calibration, interval,
        };
        command.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var options = SlotCommandSupport.Load(parse.GetValue(config)!, error);
            if (options is null)
            {
                return ExitCodes.Config;
            }

            var slots = options.Slots;
            if (parse.GetValue(slotOption) is { } id)
            {
                var slot = SlotCommandSupport.Find(options, id, "sensors read", error);
                if (slot is null)
                {
                    return ExitCodes.Usage;
                }

                slots = [slot];
            }

            CalibrationFile calibrations;
            try
            {
                calibrations = await new CalibrationStore(parse.GetValue(calibration) ?? options.Calibration.Path).LoadAsync(ct).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                await error.WriteLineAsync($"sensors read: {e.Message}").ConfigureAwait(false);
                return ExitCodes.IoError;
            }

            var sensors = slots.Select(s => new ResilientSensor(
                s.Id,
                SlotSensors.Create(s, time, hardware),
                SlotSensors.CalibrationFor(s, calibrations),
                new SensorHealthMonitor(SensorFactory.HealthLimits(s.Sensor)),
                time,
                Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)).ToList();
            try
            {
                var rows = await SampleAllAsync(sensors, slots, ct).ConfigureAwait(false);
                // No slot can be reached (the buses are not there, or not ours): say so once per slot instead of a
                // table of nothing but faults. When some slots work, the failing ones are rows beside them.
                var blocked = rows.Where(r => IsBlocked(r.Sample)).ToList();
                if (blocked.Count == rows.Count)
                {
                    foreach (var (slot, sensor, sample) in blocked)
                    {
                        await error.WriteLineAsync($"sensors read: slot {slot.Id} ({sensor.Inner.Describe}): {WithoutKind(sample.FaultReason!)}")
                            .ConfigureAwait(false);
                    }

                    return ExitCodes.Unavailable;
                }

                var showRaw = parse.GetValue(raw);
                var output = parse.InvocationConfiguration.Output;
                if (parse.GetValue(once) || !Terminal.IsTerminal(output))
                {
                    await output.WriteAsync(Table(rows, showRaw).ToPlainText()).ConfigureAwait(false);
                    return ExitCodes.Ok;
                }

                using var stop = new SignalStop(ct); // Ctrl-C ends the live table in order, the cursor given back
                var every = TimeSpan.FromMilliseconds(Math.Max(50, parse.GetValue(interval)));
                await LiveAsync(Terminal.For(output, live: true), sensors, slots, rows, showRaw, every, time, stop.Token).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            finally
            {
                foreach (var s in sensors)
                {
                    await s.DisposeAsync().ConfigureAwait(false);
                }
            }
        });
        return command;
    }

    /// <summary><c>--calibration PATH</c>.</summary>
    internal static Option<string?> CalibrationOption() => new("--calibration")
    {
        Description = "Calibration file (kept apart from agent.json); default: Calibration:Path from the config, /var/lib/shelf-agent/calibration.json",
    };

    private static async Task<List<(SlotOptions Slot, ResilientSensor Sensor, SensorSample Sample)>> SampleAllAsync(
        List<ResilientSensor> sensors, IReadOnlyList<SlotOptions> slots, CancellationToken ct)
    {
        var rows = new List<(SlotOptions, ResilientSensor, SensorSample)>(sensors.Count);
        for (var i = 0; i < sensors.Count; i++)
        {
            rows.Add((slots[i], sensors[i], await sensors[i].SampleAsync(ct).ConfigureAwait(false)));
        }

        return rows;
    }

    private static bool IsBlocked(SensorSample sample) => sample.FaultReason is { } f && IsBlocked(f);

    private static bool IsBlocked(string fault)
        => fault.StartsWith("unavailable:", StringComparison.Ordinal) || fault.StartsWith("permission:", StringComparison.Ordinal);

    /// <summary>"unavailable: /dev/i2c-1 not found: I2C is not enabled: run …" without its kind: the error and its hint.</summary>
    private static string WithoutKind(string fault) => IsBlocked(fault) ? fault[(fault.IndexOf(':', StringComparison.Ordinal) + 2)..] : fault;

    /// <summary>One row's cells: slot, sensor, raw, grams, count, status.</summary>
    internal static string[] Cells(SlotOptions slot, string sensor, SensorSample sample, bool rawOnly)
    {
        var c = CultureInfo.InvariantCulture;
        var rawText = sample.Raw is { } r ? r.ToString(Math.Abs(r) < 100 ? "0.####" : "0", c) : "-";
        if (rawOnly || sample.Grams is not { } grams)
        {
            var status = sample.FaultReason is { } f
                ? (rawOnly && f.StartsWith("uncalibrated", StringComparison.Ordinal) ? "raw" : "fault: " + WithoutKind(f))
                : "raw";
            return [slot.Id, sensor, rawText, "-", "-", status];
        }

        var count = StockCalculator.Count(grams, slot);
        return [slot.Id, sensor, rawText, grams.ToString("0.0", c), count.ToString(c), StockCalculator.Status(count, slot).ToString().ToLowerInvariant()];
    }

    private static TextTable Table(List<(SlotOptions Slot, ResilientSensor Sensor, SensorSample Sample)> rows, bool rawOnly)
    {
        var table = new TextTable(new("SLOT"), new("SENSOR"), new("RAW", true), new("GRAMS", true), new("COUNT", true), new("STATUS"));
        foreach (var r in rows)
        {
            var cells = Cells(r.Slot, r.Sensor.Inner.Describe, r.Sample, rawOnly);
            var tone = cells[5].StartsWith("fault", StringComparison.Ordinal) ? Tone.Bad
                : cells[5] is "low" or "empty" ? Tone.Warning
                : cells[5] == "ok" ? Tone.Good : Tone.Normal;
            table.Add(cells[0], cells[1], cells[2], cells[3], cells[4], new TextCell(cells[5], tone));
        }

        return table;
    }

    private static async Task LiveAsync(
        IAnsiConsole console,
        List<ResilientSensor> sensors,
        IReadOnlyList<SlotOptions> slots,
        List<(SlotOptions Slot, ResilientSensor Sensor, SensorSample Sample)> first,
        bool rawOnly,
        TimeSpan interval,
        TimeProvider time,
        CancellationToken ct)
    {
        static IRenderable Screen(TextTable table) =>
            new Rows(new Text("shelf-agent sensors read (Ctrl-C to stop)", new Style(decoration: Decoration.Bold)), table.ToRenderable(styled: true));
        var rows = first;
        await console.Live(Screen(Table(rows, rawOnly))).AutoClear(false).StartAsync(async ctx =>
        {
            while (true)
            {
                ctx.UpdateTarget(Screen(Table(rows, rawOnly)));
                try
                {
                    await Task.Delay(interval, time, ct).ConfigureAwait(false);
                    rows = await SampleAllAsync(sensors, slots, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }).ConfigureAwait(false);
    }
}

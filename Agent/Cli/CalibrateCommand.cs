using System.CommandLine;
using System.Globalization;
using ShelfAgent.Composition;
using ShelfAgent.Hardware;
using ShelfAgent.Sensors;
using ShelfAgent.Sensors.Simulated;

namespace ShelfAgent.Cli;

/// <summary>
/// <c>shelf-agent calibrate tare|span --slot A1</c>: guided calibration of a load-cell slot. Each step asks
/// the technician to prepare the shelf, waits until readings have settled, shows the result and saves it in
/// the calibration file (apart from agent.json, so re-deploying the config keeps it). A simulated slot answers like a
/// load cell (raw counts), so the steps can be practised on the demo; the simulation empties the slot or puts the
/// reference weight on it when the technician would.
/// </summary>
public static class CalibrateCommand
{
    /// <summary>
    /// Builds the command on the real buses, or on <paramref name="hardware"/> (fakes in tests); prompts are answered from
    /// <paramref name="input"/>.
    /// </summary>
    public static Command Create(IHardwareAccess? hardware = null, TimeProvider? time = null, TextReader? input = null)
    {
        var context = new Context(hardware ?? Buses.Real, time ?? TimeProvider.System, input);
        var command = new Command("calibrate", "Calibrate a slot's load cell: tare (empty), then span (a known weight)");
        command.Subcommands.Add(Step(context, span: false));
        command.Subcommands.Add(Step(context, span: true));
        return command;
    }

    private static Command Step(Context context, bool span)
    {
        var config = CliOptions.Config();
        var slotOption = new Option<string>("--slot") { Description = "Slot id, e.g. A1", Required = true };
        var grams = CliOptions.Number(
            "--grams", "Reference weight in grams", "the reference weight in grams, a number above 0 (e.g. 1000)", double.Epsilon, 1_000_000);
        grams.Required = true;
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not wait for Enter (the shelf is already prepared)" };
        var maxReadings = CliOptions.WholeNumber(
            "--max-readings", "Give up if readings have not settled after this many", "a count of readings from 10 to 10000", 60, 10, 10_000);
        var calibration = SensorsCommand.CalibrationOption();
        var command = span
            ? new Command("span", "With the reference weight on the slot, compute and save the grams-per-count factor")
            {
                config, slotOption, grams, yes, maxReadings, calibration,
            }
            : new Command("tare", "With the slot empty (tray and pusher in place), save the zero reading")
            {
                config, slotOption, yes, maxReadings, calibration,
            };
        var name = span ? "calibrate span" : "calibrate tare";
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var options = SlotCommandSupport.Load(parse.GetValue(config)!, error);
            if (options is null)
            {
                return ExitCodes.Config;
            }

            var slot = SlotCommandSupport.Find(options, parse.GetValue(slotOption)!, name, error);
            if (slot is null)
            {
                return ExitCodes.Usage;
            }

            if (SensorFactory.DistanceLevelFor(slot.Sensor) is not null)
            {
                await error.WriteLineAsync(
                    $"{name}: slot {slot.Id} uses a {slot.Sensor.Type} distance sensor, which needs no calibration: " +
                    $"its EmptyDistanceMm and MmPerItem map distance to items (sensors read --slot {slot.Id} --raw shows the distance)").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            if (slot.Sensor.Type.IsHardware() && Storage.AgentRunLock.IsHeld(options.Buffer.Path))
            {
                await error.WriteLineAsync(
                    $"{name}: the agent service is running on this buffer ({options.Buffer.Path}) and reads the same sensors: stop it first " +
                    "(sudo systemctl stop shelf-agent), calibrate, then start it again (sudo systemctl start shelf-agent); " +
                    "it reads the calibration at start").ConfigureAwait(false);
                return ExitCodes.Unavailable;
            }

            var reference = parse.GetValue(grams);
            if (span && !(reference > 0 && double.IsFinite(reference)))
            {
                await error.WriteLineAsync($"{name}: --grams must be a positive weight (was {reference.ToString(CultureInfo.InvariantCulture)})")
                    .ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var store = new CalibrationStore(parse.GetValue(calibration) ?? options.Calibration.Path);
            try
            {
                var existing = (await store.LoadAsync(ct).ConfigureAwait(false)).Slots.GetValueOrDefault(slot.Id);
                if (span && existing?.TareRaw is null)
                {
                    await error.WriteLineAsync($"{name}: slot {slot.Id} has no tare yet: run shelf-agent calibrate tare --slot {slot.Id} first")
                        .ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                // Reach the sensor before asking anyone to empty a shelf: a wiring or permission fault shows now.
                await using var sensor = SlotSensors.Create(slot, context.Time, context.Hardware);
                await sensor.ReadRawAsync(ct).ConfigureAwait(false);
                var prompt = span
                    ? $"Place the {reference.ToString("0.###", CultureInfo.InvariantCulture)} g reference weight on slot {slot.Id} ({slot.Sku}), " +
                      "on top of the empty tray, and keep hands off the shelf."
                    : $"Empty slot {slot.Id} ({slot.Sku}): take every item off, leave the tray and pusher in place, and keep hands off the shelf.";
                if (!await ConfirmAsync(context, prompt, parse.GetValue(yes), output, ct).ConfigureAwait(false))
                {
                    await error.WriteLineAsync($"{name}: no answer on standard input; prepare the shelf and pass --yes").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                if (sensor is SimulatedLoadCell simulated)
                {
                    // Nobody can empty a simulated shelf: the simulation does what the prompt asked, then the steps run as on hardware.
                    simulated.Model.Hold(0, span ? reference : 0);
                    await output.WriteLineAsync(span
                        ? $"(simulated slot: its items are off and the {reference.ToString("0.###", CultureInfo.InvariantCulture)} g weight " +
                          "is on the empty tray)"
                        : "(simulated slot: its items are off, the tray stays)").ConfigureAwait(false);
                }

                var (settled, noise) = await ReadSettledAsync(sensor, parse.GetValue(maxReadings), output, ct).ConfigureAwait(false);
                if (settled is not { } raw)
                {
                    await error.WriteLineAsync(
                        $"{name}: readings did not settle after {parse.GetValue(maxReadings)} readings: steady the shelf, " +
                        "check the load cell is screwed down and its wires are not pulled, then try again").ConfigureAwait(false);
                    return ExitCodes.Failure;
                }

                var now = context.Time.GetUtcNow();
                var c = CultureInfo.InvariantCulture;
                if (!span)
                {
                    var saved = await store.UpdateAsync(
                        slot.Id,
                        old => (old ?? new SlotCalibration()) with { TareRaw = raw, TaredAt = now, Sensor = sensor.Describe },
                        ct).ConfigureAwait(false);
                    await output.WriteLineAsync(string.Create(c, $"tare saved for slot {slot.Id}: empty reads raw {raw:0.###} → {store.Path}"))
                        .ConfigureAwait(false);
                    await output.WriteLineAsync(saved.ToCalibration(slot.TareGrams) is { } cal
                        ? string.Create(c, $"with the existing span factor the empty slot reads {cal.ToGrams(raw):0.0} g (TareGrams {slot.TareGrams} g)")
                        : $"next: shelf-agent calibrate span --slot {slot.Id} --grams <reference weight>").ConfigureAwait(false);
                    return ExitCodes.Ok;
                }

                if (Math.Abs(raw - existing!.TareRaw!.Value) < 20 * noise)
                {
                    await error.WriteLineAsync(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{name}: the reading moved by only {raw - existing.TareRaw.Value:0.###} (noise {noise:0.###}): " +
                        $"is the weight on slot {slot.Id}, and is the load cell wired? nothing saved")).ConfigureAwait(false);
                    return ExitCodes.Failure;
                }

                double scale;
                try
                {
                    scale = SlotCalibration.SpanScale(existing!.TareRaw!.Value, raw, reference);
                }
                catch (ArgumentException e)
                {
                    await error.WriteLineAsync($"{name}: {e.Message}").ConfigureAwait(false);
                    return ExitCodes.Failure;
                }

                var result = await store.UpdateAsync(
                    slot.Id,
                    old => old! with { Scale = scale, SpannedAt = now, ReferenceGrams = reference, Sensor = sensor.Describe },
                    ct).ConfigureAwait(false);
                var gross = result.ToCalibration(slot.TareGrams)!.ToGrams(raw);
                await output.WriteLineAsync(string.Create(
                    c,
                    $"span saved for slot {slot.Id}: factor {scale:G6} g per raw unit " +
                    $"({reference:0.###} g moved the reading by {raw - existing.TareRaw!.Value:0.###}) → {store.Path}")).ConfigureAwait(false);
                await output.WriteLineAsync(string.Create(
                    c,
                    $"with the reference on, slot {slot.Id} reads {gross:0.0} g gross (TareGrams {slot.TareGrams} g + {reference:0.###} g)"))
                    .ConfigureAwait(false);
                if (scale < 0)
                {
                    await output.WriteLineAsync("note: the factor is negative (the cell's A+ and A− are swapped); weights still come out right")
                        .ConfigureAwait(false);
                }

                return ExitCodes.Ok;
            }
            catch (Exception e) when (SlotCommandSupport.IsHardwareFault(e))
            {
                await error.WriteLineAsync($"{name}: {e.Message}").ConfigureAwait(false);
                return SlotCommandSupport.ExitCodeFor(e);
            }
        });
        return command;
    }

    private static async Task<bool> ConfirmAsync(Context context, string prompt, bool yes, TextWriter output, CancellationToken ct)
    {
        await output.WriteLineAsync(prompt).ConfigureAwait(false);
        if (yes)
        {
            return true;
        }

        await output.WriteAsync("Press Enter when ready… ").ConfigureAwait(false);
        await output.FlushAsync(ct).ConfigureAwait(false);
        return await (context.Input ?? Console.In).ReadLineAsync(ct).ConfigureAwait(false) is not null;
    }

    /// <summary>Reads until a <see cref="SettleDetector"/> window shows no trend; null if it never does.</summary>
    private static async Task<(double? Value, double Noise)> ReadSettledAsync(ISensor sensor, int maxReadings, TextWriter output, CancellationToken ct)
    {
        var detector = new SettleDetector(window: 10);
        await output.WriteAsync($"reading {sensor.Describe} until steady").ConfigureAwait(false);
        for (var i = 0; i < Math.Max(detector.Window, maxReadings); i++)
        {
            var settled = detector.Add(await sensor.ReadRawAsync(ct).ConfigureAwait(false));
            if (i % 5 == 4)
            {
                await output.WriteAsync(".").ConfigureAwait(false);
            }

            if (settled)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $" settled after {i + 1} readings")).ConfigureAwait(false);
                return (detector.Value, detector.Noise);
            }
        }

        await output.WriteLineAsync().ConfigureAwait(false);
        return (null, detector.Noise);
    }

    private sealed record Context(IHardwareAccess Hardware, TimeProvider Time, TextReader? Input);
}

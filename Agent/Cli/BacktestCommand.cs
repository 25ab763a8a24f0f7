using System.CommandLine;
using System.Globalization;
using System.Text;
using ShelfAgent.Backtest;
using ShelfAgent.Config;
using ShelfAgent.Contract;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Cli;

/// <summary>
/// <c>shelf-agent backtest --readings FILE [--config agent.json] [--profiles FILE] [--out FILE]</c>: replays recorded
/// readings through the agent's own pipeline and writes the events, alerts and forecasts it would have sent
/// (docs/stock.md, "Backtest"). Never connects, so no certificates are needed.
/// </summary>
public static class BacktestCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var readings = new Option<string>("--readings")
        {
            Description = "JSON lines: 'shelf-agent buffer export --format jsonl' output, or the lake's reading rows",
            Required = true,
        };
        var config = new Option<string?>("--config", "-c")
        {
            Description = "agent.json of the device (slots, LowStockAt, Stock:* keys); its Mqtt section is not needed. " +
                "Default: Stock defaults, slots as the readings name them",
        };
        var profiles = new Option<string?>("--profiles") { Description = "shelf.profile.v1 JSON lines (overrides Stock:ProfilesPath)" };
        var output = new Option<string?>("--out", "-o")
        {
            Description = "Write the messages here (default: standard output, and the summary to standard error)",
        };
        var command = new Command(
            "backtest",
            "Replay recorded readings through the agent's pipeline (settle → events → alerts → forecasts), readings' timestamps as the clock; " +
            "writes what it would have sent as JSON lines plus a per-slot summary")
        {
            readings, config, profiles, output,
        };
        command.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            AgentOptions? options = null;
            if (parse.GetValue(config) is { } configPath)
            {
                options = ConfigLoading.TryLoad(configPath, error, out _, ConfigUse.Slots);
                if (options is null)
                {
                    return ExitCodes.Config;
                }
            }

            IReadOnlyList<DemandProfile>? cloud = null;
            if (parse.GetValue(profiles) is { } profilesPath)
            {
                string text;
                try
                {
                    text = await File.ReadAllTextAsync(profilesPath, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    await error.WriteLineAsync($"backtest: --profiles {profilesPath}: {e.Message}").ConfigureAwait(false);
                    return ExitCodes.IoError;
                }

                var (parsed, problems) = DemandProfileParser.Parse(text);
                foreach (var p in problems)
                {
                    await error.WriteLineAsync($"backtest: {profilesPath}: {p} (skipped)").ConfigureAwait(false);
                }

                cloud = parsed;
            }

            var path = parse.GetValue(readings)!;
            var lines = new List<ReadingLine>();
            var bad = 0;
            try
            {
                using var reader = new StreamReader(path, Encoding.UTF8);
                var n = 0;
                while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
                {
                    n++;
                    var outcome = ReadingLineParser.Parse(line, n, out var r, out var problem);
                    if (outcome == ReadingLineParser.Outcome.Reading)
                    {
                        lines.Add(r!);
                    }
                    else if (outcome == ReadingLineParser.Outcome.Bad)
                    {
                        bad++;
                        await error.WriteLineAsync($"backtest: {path}:{n}: {problem} (line skipped)").ConfigureAwait(false);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"backtest: --readings {path}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.IoError;
            }

            var outPath = parse.GetValue(output);
            TextWriter sink;
            try
            {
                sink = outPath is null ? parse.InvocationConfiguration.Output : new StreamWriter(outPath, append: false, new UTF8Encoding(false));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"backtest: --out {outPath}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.IoError;
            }

            var written = 0L;
            IReadOnlyList<SlotSummary> summaries;
            try
            {
                summaries = BacktestRunner.Run(lines, options, cloud, (envelope, m) =>
                {
                    sink.WriteLine(System.Text.Encoding.UTF8.GetString(StockMessagePayload.Encode(envelope, m)));
                    written++;
                });
                await sink.FlushAsync(ct).ConfigureAwait(false);
            }
            finally
            {
                if (outPath is not null)
                {
                    await sink.DisposeAsync().ConfigureAwait(false);
                }
            }

            var summaryOut = outPath is null ? error : parse.InvocationConfiguration.Output;
            await summaryOut.WriteLineAsync(SummaryHeading(path, lines.Count, bad, written)).ConfigureAwait(false);
            SummaryTable(summaries).WriteTo(summaryOut);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The line above the summary table.</summary>
    public static string SummaryHeading(string path, int readings, int bad, long messages) =>
        string.Create(CultureInfo.InvariantCulture, $"backtest: {readings:N0} readings from {path} ({bad} bad lines skipped) → {messages:N0} messages");

    /// <summary>The per-slot summary table.</summary>
    public static TextTable SummaryTable(IReadOnlyList<SlotSummary> slots)
    {
        ArgumentNullException.ThrowIfNull(slots);
        var c = CultureInfo.InvariantCulture;
        var table = new TextTable(
            new("thing"), new("slot"), new("sku"), new("readings", true), new("faults", true), new("picks", true), new("items", true),
            new("restocks", true), new("count", true), new("profile"), new("alerts"));
        foreach (var s in slots)
        {
            var alerts = s.Alerts.Count == 0 ? "-" : string.Join(", ", s.Alerts.Select(a => $"{a.Key} {a.Value}"));
            var note = s.Unconfigured ? " (not in --config: no low alerts)" : "";
            table.Add(
                s.Thing, s.Slot, s.Sku, s.Readings.ToString(c), new TextCell(s.Faults.ToString(c), s.Faults > 0 ? Tone.Warning : Tone.Normal),
                s.PickEvents.ToString(c), s.ItemsPicked.ToString(c), s.Restocks.ToString(c), s.LastCount?.ToString(c) ?? "-", s.Profile,
                new TextCell(alerts + note, s.Alerts.Count > 0 ? Tone.Warning : Tone.Normal));
        }

        return table;
    }
}

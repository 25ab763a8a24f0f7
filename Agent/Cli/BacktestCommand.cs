using System.CommandLine;
using System.Globalization;
using System.Text;
using ShelfAgent.Backtest;
using ShelfAgent.Backtest.Scoring;
using ShelfAgent.Config;
using ShelfAgent.Contract;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Cli;

/// <summary>
/// <c>shelf-agent backtest --readings FILE [--config agent.json] [--profiles FILE] [--out FILE] [--truth FILE]</c>: replays
/// recorded readings through the agent's own pipeline and writes the events, alerts and forecasts it would have sent;
/// with <c>--truth</c>, scores its <c>predicted-empty</c> alerts against <c>shelf-sim traces</c> ground truth with the
/// bench's own scoring (docs/stock.md, "Backtest" and "Evaluation"). Never connects, so no certificates are needed.
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
        var truth = new Option<string?>("--truth")
        {
            Description = "Ground truth of 'shelf-sim traces' ({thing}.truth.jsonl): score predicted-empty against it " +
                "(stock-outs, recall @30 min, misses, strict false alarms; docs/stock.md, Evaluation)",
        };
        var command = new Command(
            "backtest",
            "Replay recorded readings through the agent's pipeline (settle → events → alerts → forecasts), readings' timestamps as the clock; " +
            "writes what it would have sent as JSON lines plus a per-slot summary")
        {
            readings, config, profiles, output, truth,
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

            GroundTruth? groundTruth = null;
            if (parse.GetValue(truth) is { } truthPath)
            {
                try
                {
                    using var truthReader = new StreamReader(truthPath, Encoding.UTF8);
                    var problems = new List<string>();
                    groundTruth = GroundTruth.Read(truthReader, problems);
                    foreach (var p in problems)
                    {
                        await error.WriteLineAsync($"backtest: {truthPath}: {p} (skipped)").ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    await error.WriteLineAsync($"backtest: --truth {truthPath}: {e.Message}").ConfigureAwait(false);
                    return ExitCodes.IoError;
                }
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
            if (groundTruth is not null)
            {
                Score(summaries, groundTruth);
            }

            SummaryTable(summaries, scored: groundTruth is not null).WriteTo(summaryOut);
            if (groundTruth is not null)
            {
                await summaryOut.WriteLineAsync(ScoreLine(summaries)).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The line above the summary table.</summary>
    public static string SummaryHeading(string path, int readings, int bad, long messages) =>
        string.Create(CultureInfo.InvariantCulture, $"backtest: {readings:N0} readings from {path} ({bad} bad lines skipped) → {messages:N0} messages");

    /// <summary>Scores each slot's <c>predicted-empty</c> alerts over the readings' span against <paramref name="truth"/>.</summary>
    public static void Score(IReadOnlyList<SlotSummary> slots, GroundTruth truth)
    {
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(truth);
        foreach (var s in slots)
        {
            if (s.From is { } from && s.To is { } to && truth.Slots.TryGetValue((s.Thing, s.Slot), out var slotTruth))
            {
                s.Score = ForecastScorer.Score(slotTruth, truth.Store(s.Thing), s.PredictedEmpty, from, to + TimeSpan.FromTicks(1));
            }
        }
    }

    /// <summary>The line under a scored table: the totals, with the bench's definitions.</summary>
    public static string ScoreLine(IReadOnlyList<SlotSummary> slots)
    {
        ArgumentNullException.ThrowIfNull(slots);
        var tally = new ScoreTally("predicted-empty");
        foreach (var s in slots.Where(s => s.Score is not null))
        {
            tally.Add(s.Score!);
        }

        var causes = string.Join(", ", MissCauses.All.Where(c => tally.Misses(c) > 0).Select(c => $"{MissCauses.Name(c)} {tally.Misses(c)}"));
        causes = causes.Length > 0 ? $" ({causes})" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"scored against --truth: {tally.Stockouts} stock-outs, recall @0/15/30/60 {tally.Recall(0):0.000}/{tally.Recall(1):0.000}/" +
            $"{tally.Recall(2):0.000}/{tally.Recall(3):0.000}, median lead {tally.MedianLead:0} min (p10 {tally.P10Lead:0}), " +
            $"{tally.Alerts} alerts, precision {tally.Precision:0.000} strict ({tally.LoosePrecision:0.000} any-restock), " +
            $"{tally.FalsePerSlotDay:0.000} false alarms per slot-day; misses {tally.TotalMisses}{causes}");
    }

    /// <summary>The per-slot summary table; with <paramref name="scored"/>, the truth columns too.</summary>
    public static TextTable SummaryTable(IReadOnlyList<SlotSummary> slots, bool scored = false)
    {
        ArgumentNullException.ThrowIfNull(slots);
        var c = CultureInfo.InvariantCulture;
        List<TextColumn> columns =
        [
            new("thing"), new("slot"), new("sku"), new("readings", true), new("faults", true), new("picks", true), new("items", true),
            new("restocks", true), new("count", true), new("profile"), new("episodes", true), new("cleared by restock", true),
        ];
        if (scored)
        {
            columns.AddRange([new("stock-outs", true), new("caught @30", true), new("misses", true), new("false alarms", true)]);
        }

        columns.Add(new("alerts"));
        var table = new TextTable([.. columns]);
        foreach (var s in slots)
        {
            var alerts = s.Alerts.Count == 0 ? "-" : string.Join(", ", s.Alerts.Select(a => $"{a.Key} {a.Value}"));
            var note = s.Unconfigured ? " (not in --config: no low alerts)" : "";
            List<TextCell> cells =
            [
                s.Thing, s.Slot, s.Sku, s.Readings.ToString(c), new TextCell(s.Faults.ToString(c), s.Faults > 0 ? Tone.Warning : Tone.Normal),
                s.PickEvents.ToString(c), s.ItemsPicked.ToString(c), s.Restocks.ToString(c), s.LastCount?.ToString(c) ?? "-", s.Profile,
                s.Episodes.ToString(c), s.ClearedByRestock.ToString(c),
            ];
            if (scored)
            {
                var score = s.Score;
                var misses = score?.Stockouts.Count(o => o.Cause is not null) ?? 0;
                cells.AddRange(
                [
                    score?.Stockouts.Count.ToString(c) ?? "-",
                    score?.Stockouts.Count(o => o.Cause is null).ToString(c) ?? "-",
                    new TextCell(score is null ? "-" : misses.ToString(c), misses > 0 ? Tone.Warning : Tone.Normal),
                    score?.Alerts.Count(a => !a.StrictTrue).ToString(c) ?? "-",
                ]);
            }

            cells.Add(new TextCell(alerts + note, s.Alerts.Count > 0 ? Tone.Warning : Tone.Normal));
            table.Add([.. cells]);
        }

        return table;
    }
}

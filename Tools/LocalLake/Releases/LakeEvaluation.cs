using System.Globalization;
using System.Text;
using ShelfAgent.Backtest;
using ShelfAgent.Contract;
using ShelfAgent.LocalLake.Ingest;
using ShelfAgent.LocalLake.Lake;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.LocalLake.Releases;

/// <summary>
/// Evaluates a release on the lake's own data (<c>evaluate --from-lake</c>, docs/models.md): a real store has no simulator
/// ground truth, only the readings its devices sent. Every device's readings up to the end of the held-out week are replayed
/// through the agent's own pipeline (<see cref="BacktestRunner"/>, as <see cref="Evaluation"/> does for traces), once per
/// release; each run's alerts and forecasts of that week go into a scratch lake the way the broker's would (raw, then the
/// Cloud's curation) and are scored by the watch's own SQL (<see cref="ReleaseHealth"/>): a stock-out is an <c>empty</c>
/// alert, i.e. a slot reading empty; caught = warned ≥ 30 minutes ahead within the warning's horizon + 10 minutes; a false
/// alarm is a predicted-empty alert with no stock-out of its slot within its horizon + 10 minutes (a restock never confirms
/// one). One scoring code for the evaluation from the lake and the watch.
/// </summary>
public static class LakeEvaluation
{
    /// <summary>The evaluation of <paramref name="record"/> against <paramref name="inService"/> (null: the devices' own learning).</summary>
    /// <exception cref="InvalidOperationException">The lake holds no reading of the held-out week.</exception>
    public static EvaluationRecord Evaluate(LocalLakeStore lake, ReleaseStore releases, ReleaseRecord record, string? inService)
    {
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(releases);
        ArgumentNullException.ThrowIfNull(record);
        var from = new DateTimeOffset(record.TrainedTo.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = from + Evaluation.Week;
        // From the training window on, as the devices ran: their own learning starts on the same history (bounded, unlike
        // the traces' replay from the first reading: a lake holds months).
        var replay = new ReplayWindow(new DateTimeOffset(record.TrainedFrom.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), from, to);
        var table = ReadingsTable(lake, replay);
        if (QueryResult.Number(lake.Query(
                $"SELECT count(*) FROM {table} WHERE ts >= {Ts(from)} AND ts < {Ts(to)} AND thing IS NOT NULL").Rows[0][0]) == 0)
        {
            throw new InvalidOperationException(
                $"the lake holds no reading from {from:yyyy-MM-dd} to {to:yyyy-MM-dd} (the held-out week of {record.Id}): run listen or ingest, then curate");
        }

        var current = inService is null ? [] : Evaluation.Profiles(releases, inService);
        return new EvaluationRecord
        {
            Release = record.Id,
            Against = inService,
            WeekFrom = record.TrainedTo,
            Data = EvaluationData.Lake,
            Candidate = Score(lake, replay, Evaluation.Profiles(releases, record.Id)),
            InService = Score(lake, replay, current),
        };
    }

    /// <summary>The readings replayed, [<see cref="ReadFrom"/>, <see cref="To"/>), and the week scored, [<see cref="From"/>, <see cref="To"/>).</summary>
    public sealed record ReplayWindow(DateTimeOffset ReadFrom, DateTimeOffset From, DateTimeOffset To);

    /// <summary><c>curated_readings</c> when it holds readings of the window, else <c>raw_readings</c> (nothing curated yet, or an export).</summary>
    public static string ReadingsTable(LocalLakeStore lake, ReplayWindow window)
    {
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(window);
        return QueryResult.Number(lake.Query(
                $"SELECT count(*) FROM curated_readings WHERE ts >= {Ts(window.ReadFrom)} AND ts < {Ts(window.To)} AND thing IS NOT NULL").Rows[0][0]) > 0
            ? "curated_readings" : "raw_readings";
    }

    /// <summary>
    /// One device's readings in [<paramref name="from"/>, <paramref name="to"/>) from <paramref name="table"/>, as the lake's
    /// JSON export that <c>shelf-agent backtest --readings</c> reads (one device at a time: a lake holds months of a fleet).
    /// </summary>
    public static IReadOnlyList<ReadingLine> Readings(LocalLakeStore lake, string table, string thing, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(lake);
        var staging = Path.Combine(lake.Directory, "staging");
        Directory.CreateDirectory(staging);
        var path = Path.Combine(staging, "evaluate-" + Guid.NewGuid().ToString("N") + ".readings.jsonl");
        try
        {
            lake.Execute($"""
                COPY (SELECT thing, store, seq, ts, slot, sku, grams, "count", status, reason FROM {table}
                      WHERE thing = {LocalLakeStore.Literal(thing)} AND ts >= {Ts(from)} AND ts < {Ts(to)} ORDER BY seq, ts)
                TO {LocalLakeStore.Literal(path)} (FORMAT json)
                """);
            var lines = new List<ReadingLine>();
            var n = 0;
            foreach (var line in File.ReadLines(path))
            {
                n++;
                if (ReadingLineParser.Parse(line, n, out var reading, out var problem) == ReadingLineParser.Outcome.Bad)
                {
                    throw new InvalidDataException($"{table}: {thing}: row {n}: {problem}");
                }

                if (reading is not null)
                {
                    lines.Add(reading);
                }
            }

            return lines;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Strict figures per store (release-health) of every device of the lake running <paramref name="profiles"/>.</summary>
    /// <param name="lake">The lake: its readings are replayed, its staging folder holds the scratch lake while it scores.</param>
    /// <param name="window">What is replayed and what is scored.</param>
    /// <param name="profiles">The profiles the devices run (empty: their own learning).</param>
    public static IReadOnlyDictionary<string, QualityFigures> Score(LocalLakeStore lake, ReplayWindow window, IReadOnlyList<DemandProfile> profiles)
    {
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(window);
        var (from, to) = (window.From, window.To);
        var table = ReadingsTable(lake, window);
        var things = lake.Query($"SELECT DISTINCT thing FROM {table} WHERE ts >= {Ts(window.ReadFrom)} AND ts < {Ts(to)} AND thing IS NOT NULL ORDER BY thing")
            .Rows.Select(r => (string)r[0]!).ToList();
        var scratch = Path.Combine(lake.Directory, "staging", "evaluate-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        try
        {
            var eventsPath = Path.Combine(scratch, "events.jsonl");
            var forecastsPath = Path.Combine(scratch, "forecasts.jsonl");
            using (var eventsFile = new StreamWriter(eventsPath, false, new UTF8Encoding(false)))
            using (var forecastsFile = new StreamWriter(forecastsPath, false, new UTF8Encoding(false)))
            {
                foreach (var thing in things)
                {
                    // No device configuration is in the lake: slots as the readings name them, counts as they say, default
                    // Stock settings (BacktestRunner with no options), the same for both runs.
                    BacktestRunner.Run(Readings(lake, table, thing, window.ReadFrom, to), null, profiles, (envelope, message) =>
                    {
                        if (message.Timestamp < from || message.Timestamp >= to)
                        {
                            return;
                        }

                        foreach (var (rowTable, row) in MessageRows.Of(StockMessagePayload.Encode(envelope, message), message.Timestamp))
                        {
                            (rowTable == "events" ? eventsFile : forecastsFile).WriteLine(row);
                        }
                    });
                }
            }

            using var scored = LocalLakeStore.Open(Path.Combine(scratch, "lake"));
            scored.AppendRawJson(LakeTables.Events, eventsPath, "received");
            scored.AppendRawJson(LakeTables.Forecasts, forecastsPath, "received");
            var day = DateOnly.FromDateTime(from.UtcDateTime);
            Curation.Run(scored, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            var byStore = new SortedDictionary<string, QualityFigures>(StringComparer.Ordinal);
            foreach (var row in ReleaseHealth.Rows(scored, day))
            {
                byStore[row.Store] = byStore.TryGetValue(row.Store, out var had) ? had + row.Figures : row.Figures;
            }

            return byStore;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static string Ts(DateTimeOffset t) =>
        "TIMESTAMP '" + t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + "'";
}

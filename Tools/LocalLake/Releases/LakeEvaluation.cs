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
        var readings = Readings(lake, to);
        if (!readings.Any(r => r.Reading.Timestamp >= from))
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
            Candidate = Score(lake.Directory, readings, Evaluation.Profiles(releases, record.Id), from, to),
            InService = Score(lake.Directory, readings, current, from, to),
        };
    }

    /// <summary>
    /// Every device's readings before <paramref name="to"/>, from the curated readings, or the raw ones when nothing is
    /// curated yet (as the lake's JSON export that <c>shelf-agent backtest --readings</c> reads).
    /// </summary>
    public static IReadOnlyList<ReadingLine> Readings(LocalLakeStore lake, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(lake);
        var before = $"ts < {Ts(to)} AND thing IS NOT NULL";
        var table = QueryResult.Number(lake.Query($"SELECT count(*) FROM curated_readings WHERE {before}").Rows[0][0]) > 0
            ? "curated_readings" : "raw_readings";
        var staging = Path.Combine(lake.Directory, "staging");
        Directory.CreateDirectory(staging);
        var path = Path.Combine(staging, "evaluate-" + Guid.NewGuid().ToString("N") + ".readings.jsonl");
        try
        {
            lake.Execute($"""
                COPY (SELECT thing, store, seq, ts, slot, sku, grams, "count", status, reason FROM {table}
                      WHERE {before} ORDER BY thing, seq, ts)
                TO {LocalLakeStore.Literal(path)} (FORMAT json)
                """);
            var lines = new List<ReadingLine>();
            var n = 0;
            foreach (var line in File.ReadLines(path))
            {
                n++;
                if (ReadingLineParser.Parse(line, n, out var reading, out var problem) == ReadingLineParser.Outcome.Bad)
                {
                    throw new InvalidDataException($"{table}: row {n}: {problem}");
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

    /// <summary>Strict figures per store (release-health) of running <paramref name="profiles"/> on the readings, scored on [from, to).</summary>
    /// <param name="lakeDirectory">The lake, whose staging folder holds the scratch lake while it scores.</param>
    /// <param name="readings">Every device's readings up to <paramref name="to"/>.</param>
    /// <param name="profiles">The profiles the devices run (empty: their own learning).</param>
    /// <param name="from">First instant of the held-out week.</param>
    /// <param name="to">Its end (exclusive).</param>
    public static IReadOnlyDictionary<string, QualityFigures> Score(
        string lakeDirectory, IReadOnlyList<ReadingLine> readings, IReadOnlyList<DemandProfile> profiles, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(readings);
        var scratch = Path.Combine(lakeDirectory, "staging", "evaluate-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        try
        {
            var eventsPath = Path.Combine(scratch, "events.jsonl");
            var forecastsPath = Path.Combine(scratch, "forecasts.jsonl");
            using (var eventsFile = new StreamWriter(eventsPath, false, new UTF8Encoding(false)))
            using (var forecastsFile = new StreamWriter(forecastsPath, false, new UTF8Encoding(false)))
            {
                // No device configuration is in the lake: slots as the readings name them, counts as they say, default
                // Stock settings (BacktestRunner with no options), the same for both runs.
                BacktestRunner.Run(readings, null, profiles, (envelope, message) =>
                {
                    if (message.Timestamp < from || message.Timestamp >= to)
                    {
                        return;
                    }

                    foreach (var (table, row) in MessageRows.Of(StockMessagePayload.Encode(envelope, message), message.Timestamp))
                    {
                        (table == "events" ? eventsFile : forecastsFile).WriteLine(row);
                    }
                });
            }

            using var lake = LocalLakeStore.Open(Path.Combine(scratch, "lake"));
            lake.AppendRawJson(LakeTables.Events, eventsPath, "received");
            lake.AppendRawJson(LakeTables.Forecasts, forecastsPath, "received");
            var day = DateOnly.FromDateTime(from.UtcDateTime);
            Curation.Run(lake, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            var byStore = new SortedDictionary<string, QualityFigures>(StringComparer.Ordinal);
            foreach (var row in ReleaseHealth.Rows(lake, day))
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

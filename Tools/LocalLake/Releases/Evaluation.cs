using ShelfAgent.Backtest;
using ShelfAgent.Backtest.Scoring;
using ShelfAgent.Contract;
using ShelfAgent.LocalLake.Ingest;
using ShelfAgent.Stock;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.LocalLake.Releases;

/// <summary>
/// Evaluates a release before it ships (docs/models.md): each device's readings are replayed through the agent's own
/// pipeline (the backtest) up to the end of the held-out week — the 7 days after the training window — once with the
/// release's profiles and once with the release in service (or none: the devices' own learning), and each run's
/// predicted-empty alerts in that week are scored against the ground truth with the strict scoring of
/// <see cref="ForecastScorer"/> (recall@30, strict precision, false alarms per slot-day), per store.
/// </summary>
public static class Evaluation
{
    /// <summary>The held-out week.</summary>
    public static readonly TimeSpan Week = TimeSpan.FromDays(7);

    /// <summary>
    /// The evaluation of <paramref name="record"/> against <paramref name="inService"/> on the devices of <paramref name="tracesDirectory"/>.
    /// </summary>
    public static EvaluationRecord Evaluate(ReleaseStore releases, ReleaseRecord record, string tracesDirectory, string? inService)
    {
        ArgumentNullException.ThrowIfNull(releases);
        ArgumentNullException.ThrowIfNull(record);
        var from = new DateTimeOffset(record.TrainedTo.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var candidate = Profiles(releases, record.Id);
        var current = inService is null ? [] : Profiles(releases, inService);
        var devices = DeviceTrace.Find(tracesDirectory);
        return new EvaluationRecord
        {
            Release = record.Id,
            Against = inService,
            WeekFrom = record.TrainedTo,
            Candidate = Score(devices, candidate, from, from + Week),
            InService = Score(devices, current, from, from + Week),
        };
    }

    /// <summary>A release's profiles.</summary>
    public static IReadOnlyList<DemandProfile> Profiles(ReleaseStore releases, string id)
    {
        ArgumentNullException.ThrowIfNull(releases);
        return DemandProfileParser.Parse(File.ReadAllText(releases.ProfilesPath(id))).Profiles;
    }

    /// <summary>Strict figures per store of running <paramref name="profiles"/> on the devices, scored on [from, to).</summary>
    public static IReadOnlyDictionary<string, QualityFigures> Score(
        IReadOnlyList<DeviceTrace> devices, IReadOnlyList<DemandProfile> profiles, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var byStore = new SortedDictionary<string, QualityFigures>(StringComparer.Ordinal);
        foreach (var device in devices)
        {
            var tally = ScoreDevice(device, profiles, from, to);
            var figures = new QualityFigures
            {
                StockOuts = tally.Stockouts,
                Caught = (int)Math.Round(double.IsNaN(tally.Recall(2)) ? 0 : tally.Recall(2) * tally.Stockouts),
                Alerts = tally.Alerts,
                TrueAlerts = tally.Alerts - tally.StrictFalse,
                SlotDays = tally.SlotDays,
            };
            byStore[device.Store] = byStore.TryGetValue(device.Store, out var had) ? had + figures : figures;
        }

        return byStore;
    }

    /// <summary>The strict tally of one device's predicted-empty alerts in [from, to) with <paramref name="profiles"/>.</summary>
    public static ScoreTally ScoreDevice(DeviceTrace device, IReadOnlyList<DemandProfile> profiles, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(device);
        var alerts = new Dictionary<string, List<ScoredAlert>>(StringComparer.Ordinal);
        var open = new Dictionary<string, (DateTimeOffset At, TimeSpan Horizon)>(StringComparer.Ordinal);
        BacktestRunner.Run(TraceIngest.Readings(device, to), TraceIngest.Options(device), profiles, (_, message) =>
        {
            if (message is not StockAlert alert)
            {
                return;
            }

            if (alert.Type == StockAlertType.PredictedEmpty)
            {
                open[alert.Slot] = (alert.Timestamp, TimeSpan.FromMinutes(alert.HorizonMinutes ?? 60));
            }
            else if (alert.Type == StockAlertType.PredictedEmptyCleared && open.Remove(alert.Slot, out var episode))
            {
                Add(alerts, alert.Slot, new ScoredAlert(episode.At, episode.Horizon, alert.Timestamp));
            }
        });
        foreach (var (slot, episode) in open)
        {
            Add(alerts, slot, new ScoredAlert(episode.At, episode.Horizon, null));
        }

        GroundTruth truth;
        using (var reader = new StreamReader(device.TruthPath ?? throw new InvalidDataException($"{device.Thing}: no truth file to score against")))
        {
            truth = GroundTruth.Read(reader);
        }

        var tally = new ScoreTally(device.Thing);
        var store = truth.Store(device.Thing);
        foreach (var ((thing, slot), slotTruth) in truth.Slots.Where(s => s.Key.Thing == device.Thing))
        {
            var mine = alerts.TryGetValue(slot, out var list) ? list.Where(a => a.At >= from && a.At < to).ToList() : [];
            tally.Add(ForecastScorer.Score(slotTruth, store, mine, from, to));
        }

        return tally;
    }

    private static void Add(Dictionary<string, List<ScoredAlert>> alerts, string slot, ScoredAlert alert)
    {
        if (!alerts.TryGetValue(slot, out var list))
        {
            list = [];
            alerts[slot] = list;
        }

        list.Add(alert);
    }
}

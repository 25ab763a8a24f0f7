using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ShelfAgent.Backtest.Scoring;
using ShelfAgent.Simulator.Traces;
using ShelfAgent.Stock;
using ShelfAgent.Stock.Forecasting;
using TraceOptions = ShelfAgent.Simulator.Traces.TraceOptions;

namespace ShelfAgent.Bench;

/// <summary>
/// <c>shelf-bench forecast [--stores 10] [--history-weeks 4] [--test-weeks 5] [--seed 42] [--sampling-seconds 15] [--horizon 180] [--confidence 0.8]</c>:
/// simulates stores (shelf-sim's sales model) for history + test weeks, replays every reading through the agent's
/// <see cref="StockPipeline"/> — once with only what the device learns, once with cloud profiles trained on the history
/// weeks' pick events — and scores, on the test weeks only, predicted-empty against the static low alert and a naive
/// last-hour-rate ETA (docs/stock.md "Evaluation"; figures in docs/benchmarks.md).
/// </summary>
internal static class ForecastBench
{
    public static Command Create()
    {
        var stores = BenchOption.Of("--stores", 10, "Simulated stores");
        var historyWeeks = BenchOption.Of("--history-weeks", 4, "Weeks the cloud profiles are trained on");
        var testWeeks = BenchOption.Of("--test-weeks", 5, "Weeks scored");
        var seed = BenchOption.Of("--seed", 42, "Seed of the sales model");
        var sampling = BenchOption.Of("--sampling-seconds", 15, "Seconds between readings");
        var horizon = BenchOption.Of("--horizon", (int)ForecastSettings.Default.Horizon.TotalMinutes, "Stock:PredictHorizonMinutes");
        var confidence = BenchOption.Of("--confidence", 0.8, "Stock:PredictConfidence");
        var alertsFile = BenchOption.Of("--alerts", "", "Write every device-learned alert and stock-out of the scored weeks, with what followed, to this CSV");
        var command = new Command(
            "forecast",
            "Score predicted-empty against the static low alert and a naive ETA on simulated stores (docs/stock.md, Evaluation)")
        {
            stores, historyWeeks, testWeeks, seed, sampling, horizon, confidence, alertsFile,
        };
        command.SetAction((parse, _) => RunAsync(
            parse.GetValue(stores),
            parse.GetValue(historyWeeks),
            parse.GetValue(testWeeks),
            parse.GetValue(seed),
            parse.GetValue(sampling),
            parse.GetValue(horizon),
            parse.GetValue(confidence),
            parse.GetValue(alertsFile) ?? ""));
        return command;
    }

    private static Task<int> RunAsync(
        int stores, int historyWeeks, int testWeeks, int seed, int sampling, int horizonMinutes, double confidence, string alertsFile)
    {
        using var dumpFile = alertsFile.Length > 0 ? new StreamWriter(alertsFile) : null;
        var dump = dumpFile is null ? null : new ForecastAlertDump(dumpFile);
        dump?.WriteHeader();
        // --horizon / --confidence: what an operator would try in a backtest (the static and naive rows keep 60 min).
        var baseline = TimeSpan.FromMinutes(60);
        var settings = ForecastSettings.Default with
        {
            Horizon = TimeSpan.FromMinutes(horizonMinutes),
            Confidence = confidence,
        };
        var options = new TraceOptions
        {
            Stores = stores,
            Days = (historyWeeks + testWeeks) * 7,
            SamplingSeconds = sampling,
            Seed = seed,
        };
        var testFrom = options.Start + TimeSpan.FromDays(historyWeeks * 7);
        var testTo = options.Start + TimeSpan.FromDays(options.Days);
        string[] names =
        [
            "predicted-empty, device-learned only",
            "predicted-empty, + cloud profiles",
            "static low (count ≤ LowStockAt)",
            "naive: count ÷ last-hour picks ≤ 60 min",
        ];
        var scores = new List<(SlotScore[] Test, SlotScore[] ColdStart)>();
        var clock = Stopwatch.StartNew();
        long readings = 0;
        for (var s = 1; s <= stores; s++)
        {
            // Pass 1: ground truth (through the truth file's own lines and reader) and the pipeline without profiles;
            // its pick events are what the cloud trains on.
            var store = new StoreSimulation(options, s);
            using var truth = new TruthRecorder();
            var device = new Run(store, settings, [], testFrom);
            store.Run(r => { device.Observe(r); readings++; }, truth.Add);
            var profiles = Train(store, device, options.Start, historyWeeks);

            // Pass 2: the same store again (same seed, same customers), now with cloud profiles.
            var again = new StoreSimulation(options, s);
            var cloud = new Run(again, settings, profiles, testFrom);
            again.Run(r => { cloud.Observe(r); readings++; }, _ => { });
            var storeTruth = truth.Truth.Store(store.ThingName);
            foreach (var slot in store.Slots)
            {
                var slotTruth = truth.Truth.Slot(store.ThingName, slot.Id);
                IReadOnlyList<ScoredAlert>[] alerts =
                [
                    device.Predicted[slot.Id],
                    cloud.Predicted[slot.Id],
                    device.Low[slot.Id].Select(a => new ScoredAlert(a, baseline, a)).ToList(),
                    device.Naive[slot.Id].Alerts.Select(a => new ScoredAlert(a, baseline, a)).ToList(),
                ];
                var test = alerts.Select(a => ForecastScorer.Score(slotTruth, storeTruth, a, testFrom, testTo)).ToArray();
                scores.Add((
                    test,
                    alerts.Select(a => ForecastScorer.Score(slotTruth, storeTruth, a, options.Start, options.Start + ForecastScorer.ColdStartFor)).ToArray()));
                dump?.Write(slotTruth, storeTruth, device.PredictedAlerts[slot.Id], test[0], testFrom, testTo);
            }

            Console.Error.WriteLine($"forecast: store {s}/{stores} ({store.Archetype}) done, {clock.Elapsed.TotalSeconds:0} s");
        }

        var c = CultureInfo.InvariantCulture;
        var all = names.Select((n, i) => Tally(n, scores.Select(x => x.Test[i]))).ToList();
        Console.WriteLine(string.Create(c,
            $"shelf-bench forecast: {stores} stores × {scores.Count / Math.Max(1, stores)} slots, " +
            $"{historyWeeks} history + {testWeeks} scored weeks ({stores * testWeeks} store-weeks scored), seed {seed}, sampling {sampling} s, " +
            $"{readings:N0} readings replayed in {clock.Elapsed.TotalSeconds:0.0} s"));
        Console.WriteLine(string.Create(c,
            $"stock-outs in the scored weeks: {all[0].Stockouts}; horizon at most {settings.Horizon.TotalMinutes:0} min, confidence {settings.Confidence}"));
        Console.WriteLine();
        ForecastReport.Overall(Console.Out, all);
        Console.WriteLine();
        Console.WriteLine("By segment (scored weeks; the cold-start week is the first week of the trace, nothing learned before it):");
        Console.WriteLine();
        var segments = new List<(string Segment, ScoreTally Tally)>();
        foreach (var i in new[] { 0, 1, 2 })
        {
            foreach (var archetype in scores.SelectMany(x => x.Test[i].Days.Select(d => d.Archetype)).Distinct().Order(StringComparer.Ordinal))
            {
                segments.Add((archetype, Tally(names[i], scores.Select(x => x.Test[i]), d => d.Archetype == archetype)));
            }

            segments.Add(("holidays", Tally(names[i], scores.Select(x => x.Test[i]), d => d.Holiday)));
            segments.Add(("promotion days", Tally(names[i], scores.Select(x => x.Test[i]), d => d.Promotion)));
            segments.Add(("cold-start week", Tally(names[i], scores.Select(x => x.ColdStart[i]))));
        }

        ForecastReport.Segments(Console.Out, segments);
        Console.WriteLine();
        Console.WriteLine(string.Create(c,
            $"Misses by cause (scored weeks; a miss is a stock-out not warned {ForecastScorer.MissLead.TotalMinutes:0} min ahead; " +
            $"\"no alert\": none at all):"));
        Console.WriteLine();
        ForecastReport.Misses(Console.Out, all);
        return Task.FromResult(0);
    }

    private static ScoreTally Tally(string name, IEnumerable<SlotScore> scores, Func<DayTags, bool>? keep = null)
    {
        var tally = new ScoreTally(name);
        foreach (var s in scores)
        {
            tally.Add(s, keep);
        }

        return tally;
    }

    // The cloud's training, as docs/stock.md describes it: per slot and hour of week, picks over the hours the slot
    // could be sold from (readings with stock and no fault) in the history weeks, so an hour spent empty is not
    // read as no demand; shrunk toward the slot's same hour on other days by one hour's worth of exposure.
    private static List<DemandProfile> Train(StoreSimulation store, Run run, DateTimeOffset from, int weeks)
    {
        var until = from + TimeSpan.FromDays(weeks * 7);
        var list = new List<DemandProfile>();
        foreach (var slot in store.Slots)
        {
            var sums = new double[HourOfWeek.Count];
            foreach (var e in run.Picks[slot.Id].Where(e => e.Timestamp >= from && e.Timestamp < until))
            {
                sums[HourOfWeek.Of(e.Timestamp)] += -e.Delta;
            }

            var hours = run.Exposure[slot.Id];
            var dayPicks = new double[24];
            var dayHours = new double[24];
            for (var h = 0; h < HourOfWeek.Count; h++)
            {
                dayPicks[h % 24] += sums[h];
                dayHours[h % 24] += hours[h];
            }

            var rates = new double[HourOfWeek.Count];
            for (var h = 0; h < rates.Length; h++)
            {
                var hourOfDay = dayPicks[h % 24] / Math.Max(1, dayHours[h % 24]);
                rates[h] = (sums[h] + hourOfDay) / (hours[h] + 1.0);
            }

            list.Add(new DemandProfile(store.StoreId, store.ThingName, slot.Id, slot.Sku, until, weeks, rates));
        }

        return list;
    }

    /// <summary>One replay of a store through the pipeline, keeping what the scores need.</summary>
    private sealed class Run
    {
        private readonly StockPipeline _pipeline;
        private readonly List<IStockMessage> _messages = [];
        private readonly Dictionary<string, Reading> _last = new(StringComparer.Ordinal);
        private readonly DateTimeOffset _historyUntil;
        private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);
        private DateTimeOffset _nextTick;

        public Run(StoreSimulation store, ForecastSettings settings, IReadOnlyList<DemandProfile> profiles, DateTimeOffset historyUntil)
        {
            _historyUntil = historyUntil;
            _pipeline = new StockPipeline(store.StoreId, store.ThingName, store.Slots, settings, profiles);
            foreach (var s in store.Slots)
            {
                Predicted[s.Id] = [];
                PredictedAlerts[s.Id] = [];
                _open[s.Id] = -1;
                Low[s.Id] = [];
                Picks[s.Id] = [];
                Exposure[s.Id] = new double[HourOfWeek.Count];
                Naive[s.Id] = new NaiveRateAlerter(TimeSpan.FromMinutes(60));
            }
        }

        /// <summary>predicted-empty alerts, each with its horizon and when its episode ended (cleared or re-raised).</summary>
        public Dictionary<string, List<ScoredAlert>> Predicted { get; } = new(StringComparer.Ordinal);

        /// <summary>The predicted-empty messages themselves, in the order of <see cref="Predicted"/>.</summary>
        public Dictionary<string, List<StockAlert>> PredictedAlerts { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<DateTimeOffset>> Low { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<StockEvent>> Picks { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, NaiveRateAlerter> Naive { get; } = new(StringComparer.Ordinal);

        /// <summary>Per slot and hour of week, history hours the readings showed stock on a working sensor.</summary>
        public Dictionary<string, double[]> Exposure { get; } = new(StringComparer.Ordinal);

        private void Close(string slot, DateTimeOffset at)
        {
            if (_open[slot] is var i and >= 0)
            {
                Predicted[slot][i] = Predicted[slot][i] with { Until = at };
                _open[slot] = -1;
            }
        }

        public void Observe(Reading r)
        {
            if (_last.TryGetValue(r.Slot, out var last) && last.Count > 0 && r.Timestamp < _historyUntil
                && r.Timestamp - last.Timestamp <= TimeSpan.FromMinutes(5))
            {
                Exposure[r.Slot][HourOfWeek.Of(last.Timestamp)] += (r.Timestamp - last.Timestamp).TotalHours;
            }

            _last[r.Slot] = r;
            _messages.Clear();
            _pipeline.Observe(r, _messages);
            foreach (var m in _messages)
            {
                switch (m)
                {
                    case StockAlert { Type: StockAlertType.PredictedEmpty } a:
                        Close(a.Slot, a.Timestamp);
                        _open[a.Slot] = Predicted[a.Slot].Count;
                        Predicted[a.Slot].Add(new ScoredAlert(a.Timestamp, TimeSpan.FromMinutes(a.HorizonMinutes ?? 0), null));
                        PredictedAlerts[a.Slot].Add(a);
                        break;
                    case StockAlert { Type: StockAlertType.PredictedEmptyCleared } a:
                        Close(a.Slot, a.Timestamp);
                        break;
                    case StockAlert { Type: StockAlertType.Low } a:
                        Low[a.Slot].Add(a.Timestamp);
                        break;
                    case StockEvent e:
                        if (e.Type == StockEventType.Pick)
                        {
                            Picks[e.Slot].Add(e);
                        }

                        Naive[e.Slot].Observe(e);
                        break;
                }
            }

            if (r.Timestamp >= _nextTick)
            {
                _nextTick = r.Timestamp + TimeSpan.FromMinutes(1);
                foreach (var n in Naive.Values)
                {
                    n.Tick(r.Timestamp);
                }
            }
        }
    }
}

using ShelfAgent.Backtest.Scoring;
using ShelfAgent.Config;
using ShelfAgent.Contract;
using ShelfAgent.Stock;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Backtest;

/// <summary>
/// Replays readings through the agent's own <see cref="StockPipeline"/>, with the readings' timestamps as the only
/// clock, as fast as the CPU allows. Readings are taken in commit order (<c>seq</c>) when every line has one, else
/// by time; a file holding several devices (lake rows) is replayed per device. Pure apart from the callback.
/// </summary>
public static class BacktestRunner
{
    /// <summary>Replays <paramref name="lines"/>; every message the agent would have sent goes to <paramref name="emit"/> in order.</summary>
    /// <param name="lines">Parsed readings.</param>
    /// <param name="options">The device's configuration (slots, LowStockAt, Stock:* keys); null for defaults and slots as the readings name them.</param>
    /// <param name="profiles">Cloud profiles; null to use those of <c>Stock:ProfilesPath</c>.</param>
    /// <param name="emit">Receives each message with the envelope it is published under.</param>
    public static IReadOnlyList<SlotSummary> Run(
        IReadOnlyList<ReadingLine> lines, AgentOptions? options, IReadOnlyList<DemandProfile>? profiles, Action<TelemetryEnvelope, IStockMessage> emit)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(emit);
        var settings = options?.Stock.Settings ?? ForecastSettings.Default;
        profiles ??= options?.Stock.Profiles ?? [];
        var summaries = new List<SlotSummary>();
        var messages = new List<IStockMessage>();
        foreach (var device in lines.GroupBy(l => l.Thing ?? options?.Device.ThingName ?? "backtest", StringComparer.Ordinal))
        {
            var thing = device.Key;
            var store = options?.Device.StoreId ?? device.First().Store ?? "unknown";
            var envelope = new TelemetryEnvelope(thing, store);
            var bySlot = new Dictionary<string, SlotSummary>(StringComparer.Ordinal);
            foreach (var slot in options?.Slots ?? [])
            {
                bySlot[slot.Id] = new SlotSummary(thing, slot.Id, slot.Sku);
            }

            var pipeline = new StockPipeline(store, thing, options?.Slots ?? [], settings, profiles, learned: null, unknownSlot: r =>
            {
                // Not configured: counts come from the readings; LowStockAt 0 turns the static low alert off.
                bySlot[r.Slot] = new SlotSummary(thing, r.Slot, r.Sku) { Unconfigured = true };
                return new SlotOptions { Id = r.Slot, Sku = r.Sku, Capacity = int.MaxValue, LowStockAt = 0, UnitGrams = 1 };
            });
            var ordered = device.All(l => l.Seq is not null)
                ? device.OrderBy(l => l.Seq).ThenBy(l => l.LineNumber)
                : device.OrderBy(l => l.Reading.Timestamp).ThenBy(l => l.LineNumber);
            foreach (var line in ordered)
            {
                messages.Clear();
                pipeline.Observe(line.Reading, messages);
                if (bySlot.TryGetValue(line.Reading.Slot, out var summary))
                {
                    summary.Readings++;
                    summary.Faults += line.Reading.Status == StockStatus.Fault ? 1 : 0;
                    summary.LastCount = line.Reading.Count ?? summary.LastCount;
                    summary.From ??= line.Reading.Timestamp;
                    summary.To = line.Reading.Timestamp;
                }

                foreach (var m in messages)
                {
                    Count(bySlot, m);
                    emit(envelope, m);
                }
            }

            foreach (var s in bySlot.Values)
            {
                s.Profile = pipeline.SourceOf(s.Slot) is { } p ? ForecastMessageEncoder.Profile(p) : "none";
            }

            summaries.AddRange(bySlot.Values);
        }

        return summaries;
    }

    private static void Count(Dictionary<string, SlotSummary> bySlot, IStockMessage m)
    {
        switch (m)
        {
            case StockEvent e when bySlot.TryGetValue(e.Slot, out var s):
                if (e.Type == StockEventType.Pick)
                {
                    s.PickEvents++;
                    s.ItemsPicked -= e.Delta;
                }
                else
                {
                    s.Restocks++;
                }

                break;
            case StockAlert a when bySlot.TryGetValue(a.Slot, out var s):
                var type = AlertType(a.Type);
                s.Alerts[type] = s.Alerts.GetValueOrDefault(type) + 1;
                if (a.Type is StockAlertType.PredictedEmpty or StockAlertType.PredictedEmptyCleared
                    && s.PredictedEmpty.Count > 0 && s.PredictedEmpty[^1].Until is null)
                {
                    // A re-raise or a clear ends the episode's previous alert.
                    s.PredictedEmpty[^1] = s.PredictedEmpty[^1] with { Until = a.Timestamp };
                }

                if (a.Type == StockAlertType.PredictedEmpty)
                {
                    s.PredictedEmpty.Add(new ScoredAlert(a.Timestamp, TimeSpan.FromMinutes(a.HorizonMinutes ?? 0), null));
                }
                else if (a.Type == StockAlertType.PredictedEmptyCleared && a.Reason == "restocked")
                {
                    s.ClearedByRestock++;
                }

                break;
        }
    }

    /// <summary>The wire name of an alert type.</summary>
    public static string AlertType(StockAlertType type) => type switch
    {
        StockAlertType.Low => "low",
        StockAlertType.Empty => "empty",
        StockAlertType.Fault => "fault",
        StockAlertType.Recovered => "recovered",
        StockAlertType.PredictedEmpty => "predicted-empty",
        _ => "predicted-empty-cleared",
    };
}

using System.Globalization;
using ShelfAgent.Backtest.Scoring;
using ShelfAgent.Stock;

namespace ShelfAgent.Bench;

/// <summary>
/// <c>shelf-bench forecast --alerts FILE</c>: one CSV line per predicted-empty alert of the device-learned row and per
/// stock-out in the scored weeks, with what the alert said and what really followed (the next restock, its
/// counterfactual empty time, the next stock-out), so a false alarm or a miss can be traced to its cause
/// (docs/benchmarks.md). Times after the alert are in minutes; local times as HH:mm.
/// </summary>
internal sealed class ForecastAlertDump(TextWriter output)
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public const string Header =
        "kind,store,archetype,slot,at_utc,local_day,local_time,count,prob,horizon_min,expected_empty_min,strict,loose," +
        "next_restock_min,next_restock_schedule,next_restock_from,cf_empty_min,next_stockout_min,lead_min,cause";

    public void WriteHeader() => output.WriteLine(Header);

    /// <summary>One slot's alerts (with the messages they came from) and stock-outs in [from, to).</summary>
    public void Write(SlotTruth slot, StoreTruth store, IReadOnlyList<StockAlert> alerts, SlotScore score, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(slot);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(score);
        var outcomes = score.Alerts.ToDictionary(a => a.At);
        foreach (var a in alerts.Where(a => a.Timestamp >= from && a.Timestamp < to))
        {
            var t = a.Timestamp;
            var restock = slot.Restocks.FirstOrDefault(r => r.At >= t);
            var stockout = slot.StockoutStarts.Where(s => s >= t).Select(s => (DateTimeOffset?)s).FirstOrDefault();
            var o = outcomes.GetValueOrDefault(t);
            output.WriteLine(string.Join(',',
                "alert", store.Thing, store.Archetype, slot.Slot, t.ToString("O", C), Local(store, t).DayOfWeek, Local(store, t).ToString("HH:mm", C),
                a.Count?.ToString(C), a.Probability?.ToString("0.000", C), a.HorizonMinutes?.ToString(C), Minutes(t, a.ExpectedEmpty),
                o?.StrictTrue, o?.LooseTrue, Minutes(t, restock?.At), restock?.Schedule, restock?.From.ToString(C),
                Minutes(t, restock?.CounterfactualEmpty), Minutes(t, stockout), "", ""));
        }

        foreach (var s in score.Stockouts)
        {
            var t = s.Start;
            output.WriteLine(string.Join(',',
                "stockout", store.Thing, store.Archetype, slot.Slot, t.ToString("O", C), Local(store, t).DayOfWeek, Local(store, t).ToString("HH:mm", C),
                "", "", "", "", "", "", "", "", "", "", "", s.Lead?.TotalMinutes.ToString("0.0", C), s.Cause is { } c ? MissCauses.Name(c) : ""));
        }
    }

    private static DateTime Local(StoreTruth store, DateTimeOffset t) => (t + store.UtcOffset).UtcDateTime;

    private static string Minutes(DateTimeOffset from, DateTimeOffset? to) => to is { } v ? (v - from).TotalMinutes.ToString("0.0", C) : "";
}

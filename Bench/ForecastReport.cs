using System.Globalization;
using ShelfAgent.Backtest.Scoring;

namespace ShelfAgent.Bench;

/// <summary>The Markdown tables of <c>shelf-bench forecast</c> (docs/benchmarks.md keeps them as printed).</summary>
internal static class ForecastReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Overall(TextWriter o, IReadOnlyList<ScoreTally> tallies)
    {
        o.WriteLine("| strategy | stock-outs | alerts | recall @0 | @15 | @30 | @60 | median / p10 lead (min) | precision strict (old) | " +
            "false / slot-day strict (old) |");
        o.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var t in tallies)
        {
            o.WriteLine(Row(t.Name, t));
        }
    }

    public static void Segments(TextWriter o, IReadOnlyList<(string Segment, ScoreTally Tally)> rows)
    {
        o.WriteLine("| strategy | segment | stock-outs | alerts | recall @0 | @15 | @30 | @60 | median / p10 lead (min) | precision strict (old) | " +
            "false / slot-day strict (old) |");
        o.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (segment, t) in rows)
        {
            o.WriteLine(Row($"{t.Name} | {segment}", t));
        }
    }

    public static void Misses(TextWriter o, IReadOnlyList<ScoreTally> tallies)
    {
        o.WriteLine("| strategy | " + string.Join(" | ", MissCauses.All.Select(MissCauses.Name)) + " | all misses |");
        o.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---:|", MissCauses.All.Count + 1)));
        foreach (var t in tallies)
        {
            var cells = MissCauses.All.Select(c => Cell(t.Misses(c), t.Unwarned(c), t.Stockouts));
            o.WriteLine($"| {t.Name} | {string.Join(" | ", cells)} | {Cell(t.TotalMisses, MissCauses.All.Sum(t.Unwarned), t.Stockouts)} |");
        }
    }

    // "12 (2.1 %, 5 no alert)"
    private static string Cell(int misses, int unwarned, int stockouts)
        => string.Create(C, $"{misses} ({(stockouts == 0 ? 0 : 100.0 * misses / stockouts):0.0} %, {unwarned} no alert)");

    private static string Row(string name, ScoreTally t) => string.Create(C,
        $"| {name} | {t.Stockouts} | {t.Alerts} | {t.Recall(0):0.000} | {t.Recall(1):0.000} | {t.Recall(2):0.000} | {t.Recall(3):0.000} | " +
        $"{t.MedianLead:0.0} / {t.P10Lead:0.0} | {t.Precision:0.000} ({t.LoosePrecision:0.000}) | " +
        $"{t.FalsePerSlotDay:0.000} ({t.LooseFalsePerSlotDay:0.000}) |");
}

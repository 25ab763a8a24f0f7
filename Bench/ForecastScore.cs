namespace ShelfAgent.Bench;

/// <summary>Ground truth and one strategy's alerts for one slot, over the scored period.</summary>
internal sealed record SlotTruth(List<DateTimeOffset> StockoutStarts, List<DateTimeOffset> Restocks);

/// <summary>
/// Scores alerts against ground truth exactly as docs/stock.md ("Evaluation") defines: a stock-out is caught at lead L
/// when an alert of its episode (after the last restock before it) fired at least L before it; an alert is false when
/// neither a stock-out nor a restock followed within the horizon + 10 minutes.
/// </summary>
internal sealed class ForecastScore(string name)
{
    private readonly List<double> _leads = [];
    private int _stockouts;
    private int _alerts;
    private int _false;
    private double _slotDays;
    private readonly int[] _caught = new int[4];

    public static readonly TimeSpan[] Leads = [TimeSpan.Zero, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(60)];

    public string Name => name;

    public void Add(SlotTruth truth, IReadOnlyList<DateTimeOffset> alerts, DateTimeOffset from, DateTimeOffset to, TimeSpan horizon)
    {
        _slotDays += (to - from).TotalDays;
        var sorted = alerts.Order().ToList();
        foreach (var start in truth.StockoutStarts.Where(s => s >= from && s < to))
        {
            _stockouts++;
            var episode = truth.Restocks.Where(r => r < start).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
            var first = sorted.FirstOrDefault(a => a > episode && a <= start);
            if (first == default)
            {
                continue;
            }

            var lead = start - first;
            _leads.Add(lead.TotalMinutes);
            for (var i = 0; i < Leads.Length; i++)
            {
                _caught[i] += lead >= Leads[i] ? 1 : 0;
            }
        }

        var window = horizon + TimeSpan.FromMinutes(10);
        foreach (var a in sorted.Where(a => a >= from && a < to))
        {
            _alerts++;
            var followed = truth.StockoutStarts.Any(s => s >= a && s <= a + window) || truth.Restocks.Any(r => r >= a && r <= a + window);
            _false += followed ? 0 : 1;
        }
    }

    public int Stockouts => _stockouts;

    public int AlertCount => _alerts;

    public double Precision => _alerts == 0 ? double.NaN : 1 - (_false / (double)_alerts);

    public double Recall(int leadIndex) => _stockouts == 0 ? double.NaN : _caught[leadIndex] / (double)_stockouts;

    public double MedianLead
    {
        get
        {
            if (_leads.Count == 0)
            {
                return double.NaN;
            }

            var l = _leads.Order().ToList();
            return l.Count % 2 == 1 ? l[l.Count / 2] : (l[(l.Count / 2) - 1] + l[l.Count / 2]) / 2;
        }
    }

    public double FalsePerSlotDay => _slotDays == 0 ? double.NaN : _false / _slotDays;
}

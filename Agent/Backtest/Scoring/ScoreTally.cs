namespace ShelfAgent.Backtest.Scoring;

/// <summary>
/// Adds up <see cref="SlotScore"/>s (of one strategy), optionally only the days a filter keeps (an archetype,
/// holidays, promotion days, the cold-start week): recall at each lead, median and p10 lead, precision and false
/// alarms per slot-day under the strict and the old definition, and misses by cause (docs/stock.md, "Evaluation").
/// </summary>
public sealed class ScoreTally(string name)
{
    /// <summary>The leads recall is reported at: 0, 15, 30 and 60 minutes.</summary>
    public static IReadOnlyList<TimeSpan> Leads { get; } = [TimeSpan.Zero, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(60)];

    private readonly List<double> _leads = [];
    private readonly int[] _caught = new int[Leads.Count];
    private readonly int[] _misses = new int[MissCauses.All.Count];
    private readonly int[] _unwarned = new int[MissCauses.All.Count];

    public string Name => name;

    public int Stockouts { get; private set; }

    public int Alerts { get; private set; }

    /// <summary>Alerts false under the strict definition.</summary>
    public int StrictFalse { get; private set; }

    /// <summary>Alerts false under the old definition (any restock in the window confirmed them).</summary>
    public int LooseFalse { get; private set; }

    public double SlotDays { get; private set; }

    /// <summary>Adds a slot's score; only days (and their stock-outs and alerts) that <paramref name="keep"/> accepts.</summary>
    public void Add(SlotScore score, Func<DayTags, bool>? keep = null)
    {
        ArgumentNullException.ThrowIfNull(score);
        keep ??= _ => true;
        SlotDays += score.Days.Where(keep).Sum(d => d.Share);
        foreach (var s in score.Stockouts.Where(s => keep(s.Day)))
        {
            Stockouts++;
            if (s.Lead is { } lead)
            {
                _leads.Add(lead.TotalMinutes);
                for (var i = 0; i < Leads.Count; i++)
                {
                    _caught[i] += lead >= Leads[i] ? 1 : 0;
                }
            }

            if (s.Cause is { } cause)
            {
                _misses[(int)cause]++;
                _unwarned[(int)cause] += s.Lead is null ? 1 : 0;
            }
        }

        foreach (var a in score.Alerts.Where(a => keep(a.Day)))
        {
            Alerts++;
            StrictFalse += a.StrictTrue ? 0 : 1;
            LooseFalse += a.LooseTrue ? 0 : 1;
        }
    }

    /// <summary>Share of stock-outs caught at least <see cref="Leads"/>[<paramref name="leadIndex"/>] ahead.</summary>
    public double Recall(int leadIndex) => Stockouts == 0 ? double.NaN : _caught[leadIndex] / (double)Stockouts;

    /// <summary>1 − strict false / alerts.</summary>
    public double Precision => Alerts == 0 ? double.NaN : 1 - (StrictFalse / (double)Alerts);

    /// <summary>1 − old-definition false / alerts (for comparison only).</summary>
    public double LoosePrecision => Alerts == 0 ? double.NaN : 1 - (LooseFalse / (double)Alerts);

    /// <summary>Strict false alarms per slot-day.</summary>
    public double FalsePerSlotDay => SlotDays == 0 ? double.NaN : StrictFalse / SlotDays;

    /// <summary>Old-definition false alarms per slot-day (for comparison only).</summary>
    public double LooseFalsePerSlotDay => SlotDays == 0 ? double.NaN : LooseFalse / SlotDays;

    /// <summary>Median lead, minutes, over the stock-outs that had an alert.</summary>
    public double MedianLead => Quantile(0.5);

    /// <summary>10th percentile of the lead, minutes.</summary>
    public double P10Lead => Quantile(0.1);

    /// <summary>Stock-outs not warned of <see cref="ForecastScorer.MissLead"/> ahead, whose first applicable cause is <paramref name="cause"/>.</summary>
    public int Misses(MissCause cause) => _misses[(int)cause];

    /// <summary>Of <see cref="Misses"/>, those with no alert at all.</summary>
    public int Unwarned(MissCause cause) => _unwarned[(int)cause];

    /// <summary>All misses (not warned 30 minutes ahead).</summary>
    public int TotalMisses => _misses.Sum();

    private double Quantile(double q)
    {
        if (_leads.Count == 0)
        {
            return double.NaN;
        }

        var l = _leads.Order().ToList();
        var position = q * (l.Count - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(l.Count - 1, low + 1);
        return l[low] + ((l[high] - l[low]) * (position - low));
    }
}

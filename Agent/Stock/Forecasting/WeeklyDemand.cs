namespace ShelfAgent.Stock.Forecasting;

/// <summary>
/// A slot's demand learned on the device: for each hour of the week, picks seen and the hours the slot could be
/// picked from (stock on it, sensor working). Hours spent empty or in fault are not exposure, so a stock-out does
/// not teach that nobody wants the product. Each new week's observation of an hour weighs 1 and older ones fade
/// by <see cref="WeeklyDecay"/>, so the shape follows seasons. A thinly observed hour is shrunk toward the same hour
/// on other days, which is shrunk toward the slot's overall rate (docs/stock.md, "Demand").
/// </summary>
public sealed class WeeklyDemand
{
    /// <summary>Weight left to an hour's older observations when a new week's arrives (≈ 5 weeks of memory).</summary>
    public const double WeeklyDecay = 0.8;

    /// <summary>Exposure, in hours, that a prior is worth when shrinking a thin estimate.</summary>
    public const double PriorHours = 0.5;

    /// <summary>Exposure after which the device's own shape is used (a day of selling).</summary>
    public static readonly TimeSpan ShapeAfter = TimeSpan.FromHours(24);

    private readonly double[] _picks;
    private readonly double[] _hours;
    private double[]? _rates;
    private (double Picks, double Hours)? _total;

    /// <summary>Nothing learned yet.</summary>
    public WeeklyDemand()
        : this(new double[HourOfWeek.Count], new double[HourOfWeek.Count])
    {
    }

    /// <summary>Restores learned sums (from <see cref="Picks"/> and <see cref="Hours"/> of an earlier run).</summary>
    public WeeklyDemand(IReadOnlyList<double> picks, IReadOnlyList<double> hours)
    {
        ArgumentNullException.ThrowIfNull(picks);
        ArgumentNullException.ThrowIfNull(hours);
        if (picks.Count != HourOfWeek.Count || hours.Count != HourOfWeek.Count)
        {
            throw new ArgumentException($"need {HourOfWeek.Count} values each");
        }

        _picks = picks.Select(v => double.IsFinite(v) && v > 0 ? v : 0).ToArray();
        _hours = hours.Select(v => double.IsFinite(v) && v > 0 ? v : 0).ToArray();
    }

    /// <summary>Decayed picks per hour of week.</summary>
    public IReadOnlyList<double> Picks => _picks;

    /// <summary>Decayed exposure hours per hour of week.</summary>
    public IReadOnlyList<double> Hours => _hours;

    /// <summary>All exposure (decayed), in hours.</summary>
    public double TotalHours => Total().Hours;

    /// <summary>True once enough has been seen to trust the device's own hour-of-week shape.</summary>
    public bool HasShape => Total().Hours >= ShapeAfter.TotalHours;

    /// <summary>True once any exposure was seen (an overall rate exists).</summary>
    public bool HasRate => Total().Hours >= 1;

    /// <summary>Adds one closed hour's observation: <paramref name="picks"/> items taken in <paramref name="hours"/> of exposure.</summary>
    public void Add(int hourOfWeek, double picks, double hours)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(hourOfWeek);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(hourOfWeek, HourOfWeek.Count);
        if (!(hours > 0))
        {
            return;
        }

        _picks[hourOfWeek] = (_picks[hourOfWeek] * WeeklyDecay) + Math.Max(0, picks);
        _hours[hourOfWeek] = (_hours[hourOfWeek] * WeeklyDecay) + Math.Min(1, hours);
        _rates = null;
        _total = null;
    }

    /// <summary>Overall picks per exposed hour (0 before anything was seen).</summary>
    public double OverallRate
    {
        get
        {
            var (picks, hours) = Total();
            return hours > 0 ? picks / hours : 0;
        }
    }

    /// <summary>Expected picks per hour in hour-of-week <paramref name="hourOfWeek"/>, with shrinkage.</summary>
    public double Rate(int hourOfWeek) => (_rates ??= Rates())[hourOfWeek];

    /// <summary>The exposure behind one hour-of-week's estimate (how much to trust it against a cloud profile).</summary>
    public double Exposure(int hourOfWeek) => _hours[hourOfWeek];

    private (double Picks, double Hours) Total() => _total ??= (_picks.Sum(), _hours.Sum());

    private double[] Rates()
    {
        var overall = OverallRate;
        var hourOfDay = new double[24];
        for (var h = 0; h < 24; h++)
        {
            double p = 0, e = 0;
            for (var d = 0; d < 7; d++)
            {
                p += _picks[(d * 24) + h];
                e += _hours[(d * 24) + h];
            }

            hourOfDay[h] = (p + (PriorHours * overall)) / (e + PriorHours);
        }

        var rates = new double[HourOfWeek.Count];
        for (var i = 0; i < rates.Length; i++)
        {
            rates[i] = (_picks[i] + (PriorHours * hourOfDay[i % 24])) / (_hours[i] + PriorHours);
        }

        return rates;
    }
}

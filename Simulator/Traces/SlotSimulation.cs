using ShelfAgent.Stock;

namespace ShelfAgent.Simulator.Traces;

/// <summary>
/// One slot under simulation: true stock, customers picking as a Poisson process at the store's rate of the moment,
/// hands resting on the shelf, and a load cell with noise, creep and fault episodes. Produces readings exactly as the
/// agent would (<see cref="StockCalculator.ToReading"/>) and the truth behind them.
/// </summary>
internal sealed class SlotSimulation(SlotOptions slot, double basePicksPerHour, Random random)
{
    private DateTimeOffset _handUntil;
    private double _handGrams;
    private DateTimeOffset _faultUntil;
    private double _drift;

    public SlotOptions Slot => slot;

    /// <summary>Picks per hour at an average open hour, before day factors and promotions.</summary>
    public double BasePicksPerHour => basePicksPerHour;

    public int Count { get; private set; } = slot.Capacity;

    /// <summary>Today's demand factor for this slot (day-to-day variation × promotion).</summary>
    public double DayFactor { get; set; } = 1;

    /// <summary>When today's fault episode starts and how long it lasts (none when null).</summary>
    public (DateTimeOffset Start, TimeSpan Length)? FaultToday { get; set; }

    public void Restock(DateTimeOffset t, string thing, string note, Action<TruthEvent> truth)
    {
        if (Count >= slot.Capacity)
        {
            return;
        }

        var from = Count;
        Count = slot.Capacity;
        if (from == 0)
        {
            truth(new TruthEvent(t, thing, slot.Id, TruthKind.StockoutEnd, Count));
        }

        truth(new TruthEvent(t, thing, slot.Id, TruthKind.Restock, Count, from, note));
        truth(new TruthEvent(t, thing, slot.Id, TruthKind.Count, Count));
    }

    public void Sell(DateTimeOffset t, double picksPerHour, TimeSpan step, double handRest, string thing, Action<TruthEvent> truth)
    {
        var customers = Poisson(picksPerHour * step.TotalHours);
        if (customers == 0)
        {
            return;
        }

        var before = Count;
        for (var c = 0; c < customers && Count > 0; c++)
        {
            var u = random.NextDouble();
            Count -= Math.Min(Count, u < 0.85 ? 1 : u < 0.97 ? 2 : 3);
            if (random.NextDouble() < handRest)
            {
                // A hand rests on the shelf (reaching behind, steadying a basket): heavier for a few seconds to a minute.
                _handUntil = t + TimeSpan.FromSeconds(3 + (random.NextDouble() * 57));
                _handGrams = 300 + (random.NextDouble() * 1700);
            }
        }

        if (Count != before)
        {
            truth(new TruthEvent(t, thing, slot.Id, TruthKind.Count, Count));
            if (Count == 0)
            {
                truth(new TruthEvent(t, thing, slot.Id, TruthKind.StockoutStart, 0));
            }
        }
    }

    public Reading Read(DateTimeOffset t, TimeSpan step)
    {
        // Load-cell creep: a mean-reverting walk of a few grams.
        var seconds = step.TotalSeconds;
        _drift += (-_drift * Math.Min(1, seconds / 600)) + (Gaussian() * 0.2 * Math.Sqrt(seconds));
        if (FaultToday is { } f && t >= f.Start && t < f.Start + f.Length)
        {
            _faultUntil = f.Start + f.Length;
        }

        if (t < _faultUntil || random.NextDouble() < 0.001)
        {
            return StockCalculator.ToReading(t, slot, null, "timeout: HX711 not ready");
        }

        var grams = slot.TareGrams + (Count * slot.UnitGrams) + _drift + (Gaussian() * 3) + (t < _handUntil ? _handGrams : 0);
        return StockCalculator.ToReading(t, slot, grams, null);
    }

    private int Poisson(double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        var limit = Math.Exp(-mean);
        var k = 0;
        var p = random.NextDouble();
        while (p > limit)
        {
            k++;
            p *= random.NextDouble();
        }

        return k;
    }

    private double Gaussian()
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}

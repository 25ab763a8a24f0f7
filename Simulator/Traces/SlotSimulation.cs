using ShelfAgent.Stock;

namespace ShelfAgent.Simulator.Traces;

/// <summary>
/// One slot under simulation: true stock, customers picking as a Poisson process at the store's rate of the moment
/// (some put an item back a little later), hands resting on the shelf, and a load cell with noise, creep and fault
/// episodes. Produces readings exactly as the agent would (<see cref="StockCalculator.ToReading"/>) and the truth
/// behind them — including, for every restock, when the slot would have emptied without it (the same customers
/// arriving; demand that meets an empty shelf is lost).
/// </summary>
internal sealed class SlotSimulation(SlotOptions slot, double basePicksPerHour, bool slow, Random random)
{
    private readonly List<(DateTimeOffset At, int Count)> _counterfactuals = [];
    private readonly List<DateTimeOffset> _putBacks = [];
    private DateTimeOffset _handUntil;
    private double _handGrams;
    private DateTimeOffset _faultUntil;
    private double _drift;

    public SlotOptions Slot => slot;

    /// <summary>Picks per hour at an average open hour, before day factors and promotions.</summary>
    public double BasePicksPerHour => basePicksPerHour;

    /// <summary>A slow slot: a few items a day, refilled only on delivery days.</summary>
    public bool Slow => slow;

    public int Count { get; private set; } = slot.Capacity;

    /// <summary>Today's demand factor for this slot (day-to-day variation × promotion × holiday).</summary>
    public double DayFactor { get; set; } = 1;

    /// <summary>When today's fault episode starts and how long it lasts (none when null).</summary>
    public (DateTimeOffset Start, TimeSpan Length)? FaultToday { get; set; }

    /// <summary>Fills the slot to <paramref name="to"/> (its capacity when null: a partial refill otherwise).</summary>
    public void Restock(DateTimeOffset t, string thing, string note, Action<TruthEvent> truth, int? to = null)
    {
        var target = Math.Clamp(to ?? slot.Capacity, 1, slot.Capacity);
        if (Count >= target)
        {
            return;
        }

        var from = Count;
        Count = target;
        if (from == 0)
        {
            truth(new TruthEvent(t, thing, slot.Id, TruthKind.StockoutEnd, Count));
        }

        // Without this restock the next one would still have come, so an earlier restock's counterfactual ends here.
        _counterfactuals.Clear();
        truth(new TruthEvent(t, thing, slot.Id, TruthKind.Restock, Count, from, note) { Partial = target < slot.Capacity });
        truth(new TruthEvent(t, thing, slot.Id, TruthKind.Count, Count));
        if (from == 0)
        {
            truth(new TruthEvent(t, thing, slot.Id, TruthKind.CounterfactualEmpty, 0) { Restock = t });
        }
        else
        {
            _counterfactuals.Add((t, from));
        }
    }

    public void Sell(DateTimeOffset t, double picksPerHour, TimeSpan step, Options options, string thing, Action<TruthEvent> truth)
    {
        var before = Count;
        while (_putBacks.Count > 0 && _putBacks[0] <= t)
        {
            _putBacks.RemoveAt(0);
            Count = Math.Min(slot.Capacity, Count + 1);
        }

        var customers = Poisson(picksPerHour * step.TotalHours);
        for (var c = 0; c < customers; c++)
        {
            // Every arriving customer draws what they would take, so the counterfactual shelves see the same customers.
            var u = random.NextDouble();
            var wants = u < 0.85 ? 1 : u < 0.97 ? 2 : 3;
            for (var i = _counterfactuals.Count - 1; i >= 0; i--)
            {
                var (at, left) = _counterfactuals[i];
                left -= Math.Min(left, wants);
                _counterfactuals[i] = (at, left);
                if (left == 0)
                {
                    truth(new TruthEvent(t, thing, slot.Id, TruthKind.CounterfactualEmpty, 0) { Restock = at });
                    _counterfactuals.RemoveAt(i);
                }
            }

            if (Count == 0)
            {
                continue;
            }

            Count -= Math.Min(Count, wants);
            if (random.NextDouble() < options.HandRest)
            {
                // A hand rests on the shelf (reaching behind, steadying a basket): heavier for a few seconds to a minute.
                _handUntil = t + TimeSpan.FromSeconds(3 + (random.NextDouble() * 57));
                _handGrams = 300 + (random.NextDouble() * 1700);
            }

            if (random.NextDouble() < options.PutBack)
            {
                _putBacks.Add(t + TimeSpan.FromSeconds(30 + (random.NextDouble() * 270)));
                _putBacks.Sort();
            }
        }

        if (Count != before)
        {
            if (before == 0)
            {
                truth(new TruthEvent(t, thing, slot.Id, TruthKind.StockoutEnd, Count));
            }

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

    /// <summary>The per-customer chances <see cref="Sell"/> needs.</summary>
    public sealed record Options(double HandRest, double PutBack);
}

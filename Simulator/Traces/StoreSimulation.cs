using ShelfAgent.Sensors;
using ShelfAgent.Stock;

namespace ShelfAgent.Simulator.Traces;

/// <summary>
/// One simulated store with one shelf device: an archetype's week (local time, the store's UTC offset), day-to-day
/// variation (store-wide and per slot), promotions, restocking rounds that are sometimes late or missed, a clerk who
/// refills an empty slot when passing by, and the slot-level physics of <see cref="SlotSimulation"/>. Deterministic
/// for a seed and store number, so the same store can be replayed for a later period.
/// </summary>
public sealed class StoreSimulation
{
    /// <summary>A clerk notices an empty slot during opening hours after 90 minutes on average.</summary>
    private static readonly TimeSpan NoticeEmptyAfter = TimeSpan.FromMinutes(90);

    private readonly TraceOptions _options;
    private readonly Random _random;
    private readonly List<SlotSimulation> _slots = [];
    private readonly List<(DateTimeOffset At, string Note)> _roundsToday = [];
    private readonly Dictionary<(string Slot, int Week), (DayOfWeek[] Days, double Factor)?> _promotions = [];
    private DateOnly _planned;

    /// <summary>Builds store number <paramref name="store"/> (1-based).</summary>
    public StoreSimulation(TraceOptions options, int store)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _random = new Random(unchecked((options.Seed * 1_000_003) + store));
        Archetype = (StoreArchetype)((store - 1) % 3);
        UtcOffset = TimeSpan.FromHours(store % 2 == 0 ? 1 : 0);
        StoreId = $"store-{store:D4}";
        ThingName = $"sim-{store:D4}-01";
        var (min, max) = Archetypes.Size(Archetype);
        var size = min + (_random.NextDouble() * (max - min));
        var products = Catalog.Products.OrderBy(_ => _random.Next()).ToList();
        for (var i = 0; i < options.SlotsPerDevice; i++)
        {
            var (sku, unit, capacity, rate) = products[i % products.Count];
            var cap = (int)Math.Round(capacity * Archetypes.CapacityFactor(Archetype));
            var slot = new SlotOptions
            {
                Id = $"{(char)('A' + (i / 6))}{(i % 6) + 1}",
                Sku = sku,
                UnitGrams = unit,
                TareGrams = 150 + _random.Next(60),
                Capacity = cap,
                LowStockAt = Math.Max(1, cap / 6),
                Sensor = new SensorOptions { Type = SensorType.Simulated },
            };
            // A slot is faced to last between rounds on an ordinary day (55–100 % of the busiest gap's demand, times
            // the product's relative popularity), so it runs out on busy days, promotions and late or missed rounds.
            var popularity = rate / 6.0;
            var perHour = cap * (0.55 + (_random.NextDouble() * 0.45)) / Archetypes.MostDemandBetweenRounds(Archetype);
            _slots.Add(new SlotSimulation(slot, perHour * Math.Clamp(popularity, 0.6, 1.0) * size / max, new Random(_random.Next())));
        }
    }

    public StoreArchetype Archetype { get; }

    /// <summary>Local time = UTC + this.</summary>
    public TimeSpan UtcOffset { get; }

    public string StoreId { get; }

    public string ThingName { get; }

    public IReadOnlyList<SlotOptions> Slots => _slots.Select(s => s.Slot).ToList();

    /// <summary>Runs from <see cref="TraceOptions.Start"/> for <see cref="TraceOptions.Days"/>; readings and truth go to the callbacks in time order.</summary>
    public void Run(Action<Reading> reading, Action<TruthEvent> truth)
    {
        ArgumentNullException.ThrowIfNull(reading);
        ArgumentNullException.ThrowIfNull(truth);
        var step = TimeSpan.FromSeconds(_options.SamplingSeconds);
        var end = _options.Start + TimeSpan.FromDays(_options.Days);
        var noticePerStep = step / NoticeEmptyAfter;
        foreach (var s in _slots)
        {
            truth(new TruthEvent(_options.Start, ThingName, s.Slot.Id, TruthKind.Count, s.Count));
        }

        for (var t = _options.Start; t < end; t += step)
        {
            var local = t + UtcOffset;
            var day = DateOnly.FromDateTime(local.DateTime);
            if (day != _planned)
            {
                Plan(day, t - local.TimeOfDay);
            }

            var round = _roundsToday.FirstOrDefault(r => r.At > t - step && r.At <= t);
            var weight = Archetypes.Weight(Archetype, local.DayOfWeek, local.Hour);
            foreach (var s in _slots)
            {
                if (round.Note is not null)
                {
                    s.Restock(t, ThingName, round.Note, truth);
                }
                else if (s.Count == 0 && weight > 0 && _random.NextDouble() < noticePerStep)
                {
                    s.Restock(t, ThingName, "reactive", truth);
                }

                s.Sell(t, s.BasePicksPerHour * weight * s.DayFactor, step, _options.HandRest, ThingName, truth);
                reading(s.Read(t, step));
            }
        }
    }

    // The day's plan: rounds (late or missed), demand factors, promotions, fault episodes. Drawn at local midnight.
    private void Plan(DateOnly day, DateTimeOffset midnightUtc)
    {
        _planned = day;
        _roundsToday.Clear();
        var dow = day.DayOfWeek;
        foreach (var hour in Archetypes.Rounds(Archetype, dow))
        {
            var u = _random.NextDouble();
            if (u < _options.MissedRound)
            {
                continue;
            }

            var late = u < _options.MissedRound + _options.LateRound;
            var delay = late ? TimeSpan.FromMinutes(30 + (_random.NextDouble() * 150)) : TimeSpan.FromMinutes((_random.NextDouble() * 20) - 10);
            _roundsToday.Add((midnightUtc + TimeSpan.FromHours(hour) + delay, late ? "late" : "on-time"));
        }

        var storeDay = LogNormal(0.15);
        var week = day.DayNumber / 7;
        foreach (var s in _slots)
        {
            if (!_promotions.TryGetValue((s.Slot.Id, week), out var promo))
            {
                promo = null;
                if (_random.NextDouble() < _options.PromotionPerWeek)
                {
                    DayOfWeek[] days = _random.NextDouble() < 0.5 ? [DayOfWeek.Saturday, DayOfWeek.Sunday] : [(DayOfWeek)_random.Next(7)];
                    promo = (days, 2 + (_random.NextDouble() * 2));
                }

                _promotions[(s.Slot.Id, week)] = promo;
            }

            var factor = promo is { } p && p.Days.Contains(dow) ? p.Factor : 1;
            s.DayFactor = storeDay * LogNormal(0.2) * factor;
            s.FaultToday = _random.NextDouble() < _options.FaultEpisodePerDay
                ? (midnightUtc + TimeSpan.FromMinutes(_random.Next(24 * 60)), TimeSpan.FromMinutes(2 + (_random.NextDouble() * 38)))
                : null;
        }
    }

    private double LogNormal(double sigma)
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        var z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        return Math.Exp((sigma * z) - (sigma * sigma / 2));
    }
}

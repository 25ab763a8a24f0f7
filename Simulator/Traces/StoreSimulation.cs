using ShelfAgent.Sensors;
using ShelfAgent.Stock;

namespace ShelfAgent.Simulator.Traces;

/// <summary>
/// One simulated store with one shelf device: an archetype's week (local time, the store's UTC offset), day-to-day
/// variation (store-wide and per slot), public holidays, multi-day promotions, restocking rounds that are sometimes
/// late, missed or partial, slow slots refilled only on delivery days, a clerk who refills an empty slot when passing
/// by, and the slot-level physics of <see cref="SlotSimulation"/>. Deterministic for a seed and store number, so the
/// same store can be replayed for a later period.
/// </summary>
public sealed class StoreSimulation
{
    /// <summary>A clerk notices an empty slot during opening hours after 90 minutes on average.</summary>
    private static readonly TimeSpan NoticeEmptyAfter = TimeSpan.FromMinutes(90);

    private readonly TraceOptions _options;
    private readonly Random _random;
    private readonly List<SlotSimulation> _slots = [];
    private readonly List<(DateTimeOffset At, string Note, int Index)> _roundsToday = [];
    private readonly Dictionary<(string Slot, int Week), (DayOfWeek[] Days, double Factor)?> _promotions = [];
    private readonly Dictionary<int, (DayOfWeek Day, double Factor)?> _holidays = [];
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
            // A slow slot is faced to last from one delivery (Monday, Thursday) to the next instead: a few items a day.
            var popularity = rate / 6.0;
            var slow = _random.NextDouble() < options.SlowSlots;
            var gap = slow ? Archetypes.MostDemandBetweenDeliveries(Archetype) : Archetypes.MostDemandBetweenRounds(Archetype);
            var perHour = cap * (0.55 + (_random.NextDouble() * 0.45)) / gap;
            _slots.Add(new SlotSimulation(slot, perHour * Math.Clamp(popularity, 0.6, 1.0) * size / max, slow, new Random(_random.Next())));
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
        var sell = new SlotSimulation.Options(_options.HandRest, _options.PutBack);
        truth(new TruthEvent(_options.Start, ThingName, "", TruthKind.Store, 0) { Store = (Archetypes.Name(Archetype), StoreId, UtcOffset) });
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
                Plan(day, t, t - local.TimeOfDay, truth);
            }

            var round = _roundsToday.FirstOrDefault(r => r.At > t - step && r.At <= t);
            if (round.Note == "missed")
            {
                truth(new TruthEvent(t, ThingName, "", TruthKind.RoundMissed, 0));
                round = default;
            }

            var weight = Archetypes.Weight(Archetype, local.DayOfWeek, local.Hour);
            var delivery = round.Index == 0 && local.DayOfWeek is DayOfWeek.Monday or DayOfWeek.Thursday;
            foreach (var s in _slots)
            {
                if (round.Note is not null && (!s.Slow || delivery))
                {
                    var partial = _random.NextDouble() < _options.PartialRefill;
                    s.Restock(t, ThingName, round.Note, truth, partial ? (int)Math.Round(s.Slot.Capacity * (0.5 + (_random.NextDouble() * 0.2))) : null);
                }
                else if (s.Count == 0 && weight > 0 && _random.NextDouble() < noticePerStep)
                {
                    s.Restock(t, ThingName, "reactive", truth);
                }

                if (s.FaultToday is { } f && f.Start > t - step && f.Start <= t)
                {
                    truth(new TruthEvent(t, ThingName, s.Slot.Id, TruthKind.Fault, 0) { Minutes = Math.Round(f.Length.TotalMinutes, 1) });
                }

                s.Sell(t, s.BasePicksPerHour * weight * s.DayFactor, step, sell, ThingName, truth);
                reading(s.Read(t, step));
            }
        }
    }

    // The day's plan: rounds (late or missed), demand factors, holiday, promotions, fault episodes. Drawn at local
    // midnight (or the first step of the trace), told to the truth as a day line.
    private void Plan(DateOnly day, DateTimeOffset now, DateTimeOffset midnightUtc, Action<TruthEvent> truth)
    {
        _planned = day;
        _roundsToday.Clear();
        var dow = day.DayOfWeek;
        var index = 0;
        foreach (var hour in Archetypes.Rounds(Archetype, dow))
        {
            var u = _random.NextDouble();
            var late = u >= _options.MissedRound && u < _options.MissedRound + _options.LateRound;
            var delay = late ? TimeSpan.FromMinutes(30 + (_random.NextDouble() * 150)) : TimeSpan.FromMinutes((_random.NextDouble() * 20) - 10);
            _roundsToday.Add((midnightUtc + TimeSpan.FromHours(hour) + delay, u < _options.MissedRound ? "missed" : late ? "late" : "on-time", index++));
        }

        var storeDay = LogNormal(0.15);
        var week = day.DayNumber / 7;
        if (!_holidays.TryGetValue(week, out var holiday))
        {
            holiday = _random.NextDouble() < _options.HolidayPerWeek ? ((DayOfWeek)(1 + _random.Next(5)), 2 + _random.NextDouble()) : null;
            _holidays[week] = holiday;
        }

        var isHoliday = holiday is { } hd && hd.Day == dow && Archetypes.OpeningHours(Archetype, dow) is not null;
        if (isHoliday)
        {
            storeDay *= holiday!.Value.Factor;
        }

        var promoted = new List<string>();
        foreach (var s in _slots)
        {
            if (!_promotions.TryGetValue((s.Slot.Id, week), out var promo))
            {
                promo = null;
                if (_random.NextDouble() < _options.PromotionPerWeek)
                {
                    var days = PromotionDays(_random.NextDouble(), _random.Next(7), 3 + _random.Next(3));
                    promo = (days, 2 + (_random.NextDouble() * 2));
                }

                _promotions[(s.Slot.Id, week)] = promo;
            }

            var onPromotion = promo is { } p && p.Days.Contains(dow);
            if (onPromotion)
            {
                promoted.Add(s.Slot.Id);
            }

            s.DayFactor = storeDay * LogNormal(0.2) * (onPromotion ? promo!.Value.Factor : 1);
            s.FaultToday = _random.NextDouble() < _options.FaultEpisodePerDay
                ? (midnightUtc + TimeSpan.FromMinutes(_random.Next(24 * 60)), TimeSpan.FromMinutes(2 + (_random.NextDouble() * 38)))
                : null;
        }

        var hours = Archetypes.OpeningHours(Archetype, dow);
        truth(new TruthEvent(now, ThingName, "", TruthKind.Day, 0)
        {
            Day = (day, hours?.Open, hours?.Close, isHoliday),
            Promoted = promoted,
        });
    }

    // A day, a weekend, or three to five days in a row.
    private static DayOfWeek[] PromotionDays(double kind, int first, int length) => kind < 0.35 ? [DayOfWeek.Saturday, DayOfWeek.Sunday]
        : kind < 0.65 ? [(DayOfWeek)first]
        : Enumerable.Range(first, length).Select(d => (DayOfWeek)(d % 7)).ToArray();

    private double LogNormal(double sigma)
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        var z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        return Math.Exp((sigma * z) - (sigma * sigma / 2));
    }
}

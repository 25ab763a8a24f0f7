using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Stock;

/// <summary>
/// One slot's path through <see cref="StockPipeline"/>: settled counts and events (<see cref="SlotEventDetector"/>),
/// demand learned from the settled picks (<see cref="SlotDemand"/>), the refill rhythm learned from its restocks
/// (<see cref="RefillRhythm"/>), and <c>predicted-empty</c> episodes judged until the next expected refill
/// (<see cref="DangerHorizon"/>). Pure.
/// </summary>
internal sealed class SlotPipeline
{
    /// <summary>A gap between readings longer than this is not counted as exposure (the agent was off).</summary>
    private static readonly TimeSpan MaxExposureStep = TimeSpan.FromMinutes(5);

    private readonly ForecastSettings _settings;
    private readonly PredictedEmptyTracker _tracker;
    private Reading? _last;
    private DateTimeOffset _hourStart;
    private double _hourPicks;
    private double _hourExposure;
    private DateTimeOffset _nextEvaluation;

    public SlotPipeline(SlotOptions slot, ForecastSettings settings, WeeklyDemand learned, DemandProfile? profile, StoreLevel store)
    {
        Slot = slot;
        _settings = settings;
        Detector = new SlotEventDetector(slot);
        Demand = new SlotDemand(learned, profile, store);
        _tracker = new PredictedEmptyTracker(settings);
    }

    public SlotOptions Slot { get; }

    public SlotEventDetector Detector { get; }

    public SlotDemand Demand { get; }

    /// <summary>When this slot is usually refilled.</summary>
    public RefillRhythm Rhythm { get; } = new();

    /// <summary>True when the last reading was a fault: the forecast then says count null.</summary>
    public bool InFault => _last is { Count: null } || _last?.Status == StockStatus.Fault;

    /// <summary>True after a closed hour changed what was learned (the state file is worth saving).</summary>
    public bool Learned { get; set; }

    public void Observe(Reading reading, List<IStockMessage> output)
    {
        var now = reading.Timestamp;
        AccrueExposure(now);
        Rhythm.Watch(now);
        var before = Detector.SettledCount;
        var (events, alerts) = Detector.Observe(reading);
        var restocked = false;
        foreach (var e in events)
        {
            if (e.Type == StockEventType.Pick)
            {
                Demand.ObservePicks(e.Timestamp, -e.Delta);
                _hourPicks += -e.Delta;
            }
            else if (e.Delta >= 2)
            {
                // One item back on the shelf is a customer changing their mind, not a restock.
                restocked = true;
                Rhythm.Refilled(e.Timestamp, e.Count - e.Delta);
            }

            output.Add(e);
        }

        foreach (var a in alerts)
        {
            output.Add(a);
        }

        _last = reading;
        var count = Detector.SettledCount;
        if (InFault || count is not { } c || (count == before && now < _nextEvaluation))
        {
            return;
        }

        _nextEvaluation = now + ForecastSettings.EvaluateEvery;
        // P(empty before the next expected refill), raised only when the expected empty time is within
        // Stock:PredictHorizonMinutes of selling time. Past the horizon only matters for the alert's expectedEmpty,
        // searched again when one may be raised.
        var horizon = DangerHorizon.End(Demand, Rhythm, now, _settings.Horizon) - now;
        var expectedBy = DangerHorizon.SellingEnd(Demand, now, _settings.Horizon);
        var estimate = TimeToEmpty.Estimate(Demand, now, c, horizon, searchBeyondHorizon: _tracker.Active);
        if (!_tracker.Active && estimate.Probability >= _settings.Confidence)
        {
            estimate = TimeToEmpty.Estimate(Demand, now, c, horizon);
        }

        if (_tracker.Evaluate(now, Slot.Id, Slot.Sku, c, estimate, restocked, horizon, expectedBy) is { } alert)
        {
            output.Add(alert);
        }
    }

    /// <summary>This slot's line of a forecast taken at <paramref name="at"/>.</summary>
    public SlotForecast Forecast(DateTimeOffset at)
    {
        var rate = Math.Round(Demand.RateAt(at, at), 3);
        if (InFault || Detector.SettledCount is not { } count)
        {
            return new SlotForecast(Slot.Id, Slot.Sku, null, rate, null, null, Demand.Source)
            {
                NextRefill = Rhythm.Next(at, TimeToEmpty.Reach),
                ProfileRelease = Release,
            };
        }

        var e = TimeToEmpty.Estimate(Demand, at, count, _settings.Horizon);
        return new SlotForecast(Slot.Id, Slot.Sku, count, rate, e.ExpectedEmpty, Math.Round(e.Probability, 4), Demand.Source)
        {
            NextRefill = Rhythm.Next(at, TimeToEmpty.Reach),
            ProfileRelease = Release,
        };
    }

    /// <summary>The profile release feeding this slot's estimates (a cloud profile from a profiles-update job), else null.</summary>
    public string? Release => Demand.Source == ProfileSource.Cloud ? Demand.Cloud?.Release : null;

    public SlotDemandState State() => new(Slot.Id, Slot.Sku, Demand.Device.Picks.ToArray(), Demand.Device.Hours.ToArray());

    // Exposure: time since the previous reading during which the slot held stock and its sensor worked. It is
    // booked to the hour it fell in; when a reading starts a new hour, the closed hour is learned.
    private void AccrueExposure(DateTimeOffset now)
    {
        if (_last is { } last && now > last.Timestamp)
        {
            var step = now - last.Timestamp;
            if (step <= MaxExposureStep && !InFault && Detector.SettledCount > 0)
            {
                _hourExposure += step.TotalHours;
                Demand.ObserveExposure(now, step);
            }
        }

        var hour = HourOfWeek.StartOfHour(now);
        if (hour != _hourStart)
        {
            if (_hourStart != default)
            {
                Demand.Device.Add(HourOfWeek.Of(_hourStart), _hourPicks, _hourExposure);
                Learned |= _hourExposure > 0;
            }

            _hourStart = hour;
            _hourPicks = 0;
            _hourExposure = 0;
        }
    }
}

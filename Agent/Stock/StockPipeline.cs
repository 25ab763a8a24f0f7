using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Stock;

/// <summary>
/// Everything the agent derives from readings, in one pure object: settle → events → alerts (static and
/// predicted) → forecasts. <c>shelf-agent run</c> and <c>shelf-agent backtest</c> both feed it readings in commit
/// order and publish what it returns, so a backtest reproduces what the device sent. The readings' own timestamps
/// are its only clock: a forecast is taken when a reading reaches the next multiple of
/// <c>Stock:ForecastIntervalMinutes</c> (UTC), stamped with that boundary.
/// </summary>
public sealed class StockPipeline
{
    private readonly ForecastSettings _settings;
    private readonly IReadOnlyList<DemandProfile> _profiles;
    private readonly string _store;
    private readonly string _thing;
    private readonly Dictionary<string, SlotPipeline> _bySlot = new(StringComparer.Ordinal);
    private readonly List<SlotPipeline> _slots = [];
    private readonly Dictionary<string, SlotDemandState> _restored;
    private readonly Func<Reading, SlotOptions?>? _unknownSlot;

    // One device is one store's shelf: its slots share the store-wide part of the demand level.
    private readonly StoreLevel _storeLevel = new();
    private DateTimeOffset? _nextForecast;

    /// <summary>Builds the pipeline for the configured slots.</summary>
    /// <param name="store">Store id (to match profiles).</param>
    /// <param name="thing">Thing name (to match profiles).</param>
    /// <param name="slots">Configured slots, in order (forecasts list them in this order).</param>
    /// <param name="settings">Prediction settings.</param>
    /// <param name="profiles">Cloud demand profiles; empty when none are configured.</param>
    /// <param name="learned">What the device learned before (restart); slots whose SKU changed start afresh.</param>
    /// <param name="unknownSlot">For a backtest without configuration: the options to use for a slot first seen in a reading (null skips it).</param>
    public StockPipeline(
        string store,
        string thing,
        IReadOnlyList<SlotOptions> slots,
        ForecastSettings settings,
        IReadOnlyList<DemandProfile>? profiles = null,
        DemandState? learned = null,
        Func<Reading, SlotOptions?>? unknownSlot = null)
    {
        ArgumentNullException.ThrowIfNull(slots);
        _store = store;
        _thing = thing;
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _profiles = profiles ?? [];
        _unknownSlot = unknownSlot;
        _restored = (learned ?? DemandState.Empty).Slots
            .GroupBy(s => s.Slot, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        foreach (var slot in slots)
        {
            Add(slot);
        }
    }

    /// <summary>The settings in use.</summary>
    public ForecastSettings Settings => _settings;

    /// <summary>True when learning changed since the last <see cref="Snapshot"/> (worth writing to disk).</summary>
    public bool HasUnsavedLearning => _slots.Any(s => s.Learned);

    /// <summary>Feeds one reading; appends what it revealed to <paramref name="output"/> in publishing order.</summary>
    public void Observe(Reading reading, List<IStockMessage> output)
    {
        ArgumentNullException.ThrowIfNull(reading);
        ArgumentNullException.ThrowIfNull(output);
        var boundary = Floor(reading.Timestamp);
        if (_nextForecast is null)
        {
            _nextForecast = boundary + _settings.ForecastInterval;
        }
        else if (reading.Timestamp >= _nextForecast)
        {
            // After a gap only the latest boundary gets a forecast: nobody restocks from a stale one.
            output.Add(Forecast(boundary));
            _nextForecast = boundary + _settings.ForecastInterval;
        }

        if (!_bySlot.TryGetValue(reading.Slot, out var slot))
        {
            if (_unknownSlot?.Invoke(reading) is not { } options)
            {
                return;
            }

            slot = Add(options);
        }

        slot.Observe(reading, output);
    }

    /// <summary>Every slot's outlook at <paramref name="at"/>.</summary>
    public StockForecast Forecast(DateTimeOffset at)
        => new(at, (int)Math.Round(_settings.Horizon.TotalMinutes), _slots.Select(s => s.Forecast(at)).ToList());

    /// <summary>What has been learned, to persist; clears <see cref="HasUnsavedLearning"/>.</summary>
    public DemandState Snapshot(DateTimeOffset now)
    {
        foreach (var s in _slots)
        {
            s.Learned = false;
        }

        return new DemandState(now, _slots.Select(s => s.State()).ToList());
    }

    /// <summary>A slot's settled count (null before one settled, or for an unknown slot).</summary>
    public int? SettledCount(string slot) => _bySlot.TryGetValue(slot, out var s) ? s.Detector.SettledCount : null;

    /// <summary>Which shape feeds a slot's estimates (null for an unknown slot).</summary>
    public ProfileSource? SourceOf(string slot) => _bySlot.TryGetValue(slot, out var s) ? s.Demand.Source : null;

    private DateTimeOffset Floor(DateTimeOffset t)
    {
        var ticks = t.UtcTicks - (t.UtcTicks % _settings.ForecastInterval.Ticks);
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    private SlotPipeline Add(SlotOptions options)
    {
        var learned = _restored.TryGetValue(options.Id, out var state) && state.Sku == options.Sku
            ? new WeeklyDemand(state.Picks, state.Hours)
            : new WeeklyDemand();
        var profile = DemandProfile.Match(_profiles, _store, _thing, options.Id, options.Sku);
        var slot = new SlotPipeline(options, _settings, learned, profile, _storeLevel);
        _bySlot[options.Id] = slot;
        _slots.Add(slot);
        return slot;
    }
}

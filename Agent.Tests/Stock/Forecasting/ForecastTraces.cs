using ShelfAgent.Stock;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Tests.Stock.Forecasting;

/// <summary>Hand-built reading traces for the forecaster: a reading every 15 s, counts as the test scripts them.</summary>
internal sealed class ForecastTraces
{
    public static readonly SlotOptions Cola = new() { Id = "A1", Sku = "COLA-355", UnitGrams = 368, TareGrams = 150, Capacity = 24, LowStockAt = 4 };

    // A Monday.
    public static readonly DateTimeOffset Monday = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan Step = TimeSpan.FromSeconds(15);

    /// <summary>The traces reason about a one-hour horizon (the shipped default is longer; see docs/stock.md).</summary>
    public static readonly ForecastSettings Hour = ForecastSettings.Default with { Horizon = TimeSpan.FromMinutes(60) };

    public List<IStockMessage> Messages { get; } = [];

    public StockPipeline Pipeline { get; }

    public DateTimeOffset Now { get; private set; }

    public ForecastTraces(DateTimeOffset start, IReadOnlyList<DemandProfile>? profiles = null, ForecastSettings? settings = null, DemandState? learned = null)
    {
        Now = start;
        Pipeline = new StockPipeline("store-0042", "shelf-0042-01", [Cola], settings ?? Hour, profiles, learned);
    }

    /// <summary>A flat cloud profile of <paramref name="rate"/> picks per hour, with <paramref name="overrides"/> for some hours of the week.</summary>
    public static DemandProfile Profile(double rate, params (int Hour, double Rate)[] overrides)
    {
        var rates = Enumerable.Repeat(rate, HourOfWeek.Count).ToArray();
        foreach (var (h, r) in overrides)
        {
            rates[h] = r;
        }

        return new DemandProfile("store-0042", "shelf-0042-01", "A1", "COLA-355", Monday, 6, rates);
    }

    public void Hold(int? count, TimeSpan duration, double extraGrams = 0)
    {
        for (var t = TimeSpan.Zero; t < duration; t += Step)
        {
            Read(count, extraGrams);
        }
    }

    public void Read(int? count, double extraGrams = 0)
    {
        var reading = count is { } c
            ? StockCalculator.ToReading(Now, Cola, Cola.TareGrams + (c * Cola.UnitGrams) + extraGrams, null)
            : StockCalculator.ToReading(Now, Cola, null, "timeout: HX711 not ready");
        Pipeline.Observe(reading, Messages);
        Now += Step;
    }

    /// <summary>Sells one item every <paramref name="every"/> from <paramref name="from"/> down to <paramref name="to"/>.</summary>
    public void Deplete(int from, int to, TimeSpan every)
    {
        for (var c = from; c >= to; c--)
        {
            Hold(c, every);
        }
    }

    public List<StockAlert> Alerts(StockAlertType type) => Messages.OfType<StockAlert>().Where(a => a.Type == type).ToList();

    public List<StockForecast> Forecasts => Messages.OfType<StockForecast>().ToList();
}

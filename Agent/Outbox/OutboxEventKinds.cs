using ShelfAgent.Stock;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Outbox;

/// <summary>The values of <see cref="OutboxEvent.Kind"/>; each is the last segment of the topic it is published on.</summary>
public static class OutboxEventKinds
{
    /// <summary>Pick/restock events (<see cref="StockEvent"/>), dt/shelf/{store}/{thing}/events (shelf.event.v1).</summary>
    public const string Events = "events";

    /// <summary>Low/empty/prediction/sensor-fault alerts (<see cref="StockAlert"/>), dt/shelf/{store}/{thing}/alerts (shelf.alert.v1).</summary>
    public const string Alerts = "alerts";

    /// <summary>Forecasts (<see cref="StockForecast"/>), dt/shelf/{store}/{thing}/forecast (shelf.forecast.v1).</summary>
    public const string Forecasts = "forecast";

    /// <summary>True for a kind the outbox accepts.</summary>
    public static bool IsKnown(string? kind) => kind is Events or Alerts or Forecasts;

    /// <summary>The kind of a stock message.</summary>
    public static string Of(IStockMessage message) => message switch
    {
        StockEvent => Events,
        StockAlert => Alerts,
        StockForecast => Forecasts,
        _ => throw new ArgumentException($"unknown stock message {message?.GetType().Name}", nameof(message)),
    };
}

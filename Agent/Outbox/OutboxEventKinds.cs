using ShelfAgent.Stock;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Outbox;

/// <summary>
/// The text of each <see cref="OutboxEventKind"/> in the outbox file's <c>event.kind</c> column and in
/// <c>buffer export</c>: the last segment of the topic it is published on. Files written by every schema hold these
/// words, so they never change.
/// </summary>
public static class OutboxEventKinds
{
    private const string Events = "events";
    private const string Alerts = "alerts";
    private const string Forecast = "forecast";

    /// <summary>The stored text of <paramref name="kind"/>.</summary>
    public static string Text(OutboxEventKind kind) => kind switch
    {
        OutboxEventKind.Events => Events,
        OutboxEventKind.Alerts => Alerts,
        OutboxEventKind.Forecast => Forecast,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The kind a row's stored text names (exactly as written: the agent wrote it); false for anything else.</summary>
    public static bool TryParse(string? text, out OutboxEventKind kind)
    {
        switch (text)
        {
            case Events:
                kind = OutboxEventKind.Events;
                return true;
            case Alerts:
                kind = OutboxEventKind.Alerts;
                return true;
            case Forecast:
                kind = OutboxEventKind.Forecast;
                return true;
            default:
                kind = default;
                return false;
        }
    }

    /// <summary>The kind of a stock message.</summary>
    public static OutboxEventKind Of(IStockMessage message) => message switch
    {
        StockEvent => OutboxEventKind.Events,
        StockAlert => OutboxEventKind.Alerts,
        StockForecast => OutboxEventKind.Forecast,
        _ => throw new ArgumentException($"unknown stock message {message?.GetType().Name}", nameof(message)),
    };
}

using System.Text;
using ShelfAgent.Outbox;
using ShelfAgent.Stock;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Contract;

/// <summary>
/// What the stock pipeline reveals, as the outbox stores it: the payload encoded once, and the kind that picks its
/// topic. The agent and <c>shelf-agent backtest</c> both go through here, so their payloads are byte for byte equal.
/// </summary>
public static class StockMessageOutbox
{
    /// <summary>The outbox item for one message.</summary>
    public static OutboxEvent ToOutboxEvent(TelemetryEnvelope envelope, IStockMessage message) => message switch
    {
        StockEvent e => new OutboxEvent(e.Timestamp, OutboxEventKinds.Events, Encoding.UTF8.GetString(StockMessageEncoder.Encode(envelope, e))),
        StockAlert a => new OutboxEvent(a.Timestamp, OutboxEventKinds.Alerts, Encoding.UTF8.GetString(StockMessageEncoder.Encode(envelope, a))),
        StockForecast f => new OutboxEvent(f.Timestamp, OutboxEventKinds.Forecasts, Encoding.UTF8.GetString(ForecastMessageEncoder.Encode(envelope, f))),
        _ => throw new ArgumentException($"unknown stock message {message?.GetType().Name}", nameof(message)),
    };
}

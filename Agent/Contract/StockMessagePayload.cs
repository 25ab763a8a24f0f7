using ShelfAgent.Outbox;
using ShelfAgent.Stock;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Contract;

/// <summary>
/// The wire payload of a first-lane item, built when it is published, as telemetry is: the outbox keeps the stock
/// message as data, this puts it in its contract shape (shelf.event.v1, shelf.alert.v1, shelf.forecast.v1) with the
/// device's envelope. The agent and <c>shelf-agent backtest</c> both go through here, so their payloads are byte for
/// byte equal.
/// </summary>
public static class StockMessagePayload
{
    /// <summary>The payload of one stock message.</summary>
    public static byte[] Encode(TelemetryEnvelope envelope, IStockMessage message) => message switch
    {
        StockEvent e => StockMessageEncoder.Encode(envelope, e),
        StockAlert a => StockMessageEncoder.Encode(envelope, a),
        StockForecast f => ForecastMessageEncoder.Encode(envelope, f),
        _ => throw new ArgumentException($"unknown stock message {message?.GetType().Name}", nameof(message)),
    };

    /// <summary>The payload of an outbox item; a row from an outbox schema 1 file already holds it.</summary>
    public static byte[] Encode(TelemetryEnvelope envelope, OutboxEvent item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.Message is { } message ? Encode(envelope, message) : System.Text.Encoding.UTF8.GetBytes(item.WirePayload!);
    }
}

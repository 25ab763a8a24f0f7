using System.Text.Json;
using ShelfAgent.Stock;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Outbox;

/// <summary>
/// A stock message to and from the text of an <c>event</c> row (schema 2; also what <c>buffer export</c> shows); the row's kind says
/// which record it is.
/// </summary>
public static class StoredMessage
{
    /// <summary>The row text of <paramref name="message"/>.</summary>
    public static string Encode(IStockMessage message) => message switch
    {
        StockEvent e => JsonSerializer.Serialize(e, StoredMessageJsonContext.Default.StockEvent),
        StockAlert a => JsonSerializer.Serialize(a, StoredMessageJsonContext.Default.StockAlert),
        StockForecast f => JsonSerializer.Serialize(f, StoredMessageJsonContext.Default.StockForecast),
        _ => throw new ArgumentException($"unknown stock message {message?.GetType().Name}", nameof(message)),
    };

    /// <summary>The message a row of <paramref name="kind"/> holds.</summary>
    /// <exception cref="OutboxCorruptException">The row does not hold a message of its kind.</exception>
    public static IStockMessage Decode(OutboxEventKind kind, string text)
    {
        var name = OutboxEventKinds.Text(kind);
        try
        {
            IStockMessage? message = kind switch
            {
                OutboxEventKind.Events => JsonSerializer.Deserialize(text, StoredMessageJsonContext.Default.StockEvent),
                OutboxEventKind.Alerts => JsonSerializer.Deserialize(text, StoredMessageJsonContext.Default.StockAlert),
                OutboxEventKind.Forecast => JsonSerializer.Deserialize(text, StoredMessageJsonContext.Default.StockForecast),
                _ => null,
            };
            return message ?? throw new OutboxCorruptException($"an event row of kind '{name}' holds no message");
        }
        catch (JsonException e)
        {
            throw new OutboxCorruptException($"an event row of kind '{name}' is not a stored message: {e.Message}", e);
        }
    }
}

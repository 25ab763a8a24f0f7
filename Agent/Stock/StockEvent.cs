namespace ShelfAgent.Stock;

/// <summary>What happened on a slot, detected at the edge from settled counts.</summary>
public enum StockEventType
{
    /// <summary>Items were taken (delta &lt; 0).</summary>
    Pick,
    /// <summary>Items were put back or restocked (delta &gt; 0).</summary>
    Restock,
}

/// <summary>An alert a store operator should act on.</summary>
public enum StockAlertType
{
    /// <summary>The settled count fell to or below <c>LowStockAt</c>.</summary>
    Low,
    /// <summary>The slot is empty: a stock-out.</summary>
    Empty,
    /// <summary>The slot's sensor has failed for several readings in a row.</summary>
    Fault,
    /// <summary>The slot's sensor works again after a fault alert.</summary>
    Recovered,
    /// <summary>The slot will probably run out within <c>Stock:PredictHorizonMinutes</c> (docs/stock.md).</summary>
    PredictedEmpty,
    /// <summary>A <see cref="PredictedEmpty"/> episode ended: the slot was restocked or the danger passed.</summary>
    PredictedEmptyCleared,
}

/// <summary>Anything the stock pipeline reveals that goes to the outbox's first lane.</summary>
public interface IStockMessage
{
    /// <summary>When it happened (UTC).</summary>
    DateTimeOffset Timestamp { get; }
}

/// <summary>A pick or restock (<c>shelf.event.v1</c>).</summary>
public sealed record StockEvent(DateTimeOffset Timestamp, string Slot, string Sku, StockEventType Type, int Delta, int Count) : IStockMessage;

/// <summary>A low-stock, stock-out, prediction or sensor alert (<c>shelf.alert.v1</c>).</summary>
public sealed record StockAlert(DateTimeOffset Timestamp, string Slot, string Sku, StockAlertType Type, int? Count, string? Reason = null) : IStockMessage
{
    /// <summary><c>predicted-empty</c>: when the expected picks reach the count.</summary>
    public DateTimeOffset? ExpectedEmpty { get; init; }

    /// <summary><c>predicted-empty</c>: P(count reaches 0 within the horizon).</summary>
    public double? Probability { get; init; }

    /// <summary><c>predicted-empty</c>: expected picks per hour now.</summary>
    public double? RatePerHour { get; init; }

    /// <summary><c>predicted-empty</c>: <c>Stock:PredictHorizonMinutes</c>.</summary>
    public int? HorizonMinutes { get; init; }
}

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
}

/// <summary>A pick or restock (<c>shelf.event.v1</c>).</summary>
public sealed record StockEvent(DateTimeOffset Timestamp, string Slot, string Sku, StockEventType Type, int Delta, int Count);

/// <summary>A low-stock, stock-out or sensor alert (<c>shelf.alert.v1</c>).</summary>
public sealed record StockAlert(DateTimeOffset Timestamp, string Slot, string Sku, StockAlertType Type, int? Count, string? Reason = null);

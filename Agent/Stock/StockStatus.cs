namespace ShelfAgent.Stock;

/// <summary>A slot's stock status as published in telemetry (lower-case on the wire).</summary>
public enum StockStatus
{
    /// <summary>More than <c>LowStockAt</c> items.</summary>
    Ok,
    /// <summary>At or below <c>LowStockAt</c>, above zero.</summary>
    Low,
    /// <summary>No items left.</summary>
    Empty,
    /// <summary>The sensor failed; grams and count are absent.</summary>
    Fault,
}

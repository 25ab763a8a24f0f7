using System.Globalization;
using ShelfAgent.Stock;

namespace ShelfAgent.IotCore;

/// <summary>Formatting rules shared by every payload: UTC ISO-8601 with milliseconds, lower-case statuses.</summary>
public static class WireFormat
{
    /// <summary>e.g. <c>2026-11-22T05:20:00.123Z</c>.</summary>
    public static string Timestamp(DateTimeOffset value)
        => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>ok | low | empty | fault.</summary>
    public static string Status(StockStatus status) => status switch
    {
        StockStatus.Ok => "ok",
        StockStatus.Low => "low",
        StockStatus.Empty => "empty",
        StockStatus.Fault => "fault",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}

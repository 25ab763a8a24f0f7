namespace ShelfAgent.Stock.Forecasting;

/// <summary>
/// The hour-of-week index of <c>shelf.profile.v1</c> (docs/stock.md): h = (dayOfWeek with Monday = 0) × 24 + hour,
/// always in UTC, 0..167. Stores keep local hours, but a UTC index keeps the device and the cloud's training
/// aligned without either knowing the store's time zone (the weekly shape simply sits shifted).
/// </summary>
public static class HourOfWeek
{
    /// <summary>Hours in a week: the length of every profile.</summary>
    public const int Count = 168;

    /// <summary>The index of the hour containing <paramref name="time"/>.</summary>
    public static int Of(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return ((((int)utc.DayOfWeek) + 6) % 7 * 24) + utc.Hour;
    }

    /// <summary>The start of the UTC hour containing <paramref name="time"/>.</summary>
    public static DateTimeOffset StartOfHour(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }
}

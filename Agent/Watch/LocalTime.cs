using System.Globalization;

namespace ShelfAgent.Watch;

/// <summary>
/// Times as the person at the viewer reads them: in the viewer's local time zone (the wire says UTC), the date
/// only when it is not today, spans in words. Pure: the zone and "now" come from a <see cref="TimeProvider"/>.
/// </summary>
public sealed class LocalTime(TimeProvider time)
{
    /// <summary>Now, for ages.</summary>
    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>"14:05:09" (null: now).</summary>
    public string Clock(DateTimeOffset? at) => Local(at ?? time.GetUtcNow()).ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>"14:30" today, "tomorrow 01:10", "yesterday 23:50", else "Tue 3 Dec 14:30".</summary>
    public string When(DateTimeOffset at)
    {
        var local = Local(at);
        var days = (local.Date - Local(time.GetUtcNow()).Date).Days;
        var clock = local.ToString("HH:mm", CultureInfo.InvariantCulture);
        return days switch
        {
            0 => clock,
            1 => "tomorrow " + clock,
            -1 => "yesterday " + clock,
            _ => local.ToString("ddd d MMM ", CultureInfo.InvariantCulture) + clock,
        };
    }

    /// <summary>"in 25 min" or "12 s ago", from now.</summary>
    public string Relative(DateTimeOffset at)
    {
        var span = at - time.GetUtcNow();
        return span >= TimeSpan.Zero ? "in " + Span(span) : Span(-span) + " ago";
    }

    /// <summary>"3 s", "25 min", "2 h 05 min", "3 d 4 h".</summary>
    public static string Span(TimeSpan span)
    {
        var c = CultureInfo.InvariantCulture;
        return span.TotalSeconds < 90 ? string.Create(c, $"{Math.Max(0, (int)Math.Round(span.TotalSeconds))} s")
            : span.TotalMinutes < 90 ? string.Create(c, $"{(int)Math.Round(span.TotalMinutes)} min")
            : span.TotalHours < 48 ? string.Create(c, $"{(int)span.TotalHours} h {span.Minutes:00} min")
            : string.Create(c, $"{(int)span.TotalDays} d {span.Hours} h");
    }

    private DateTimeOffset Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, time.LocalTimeZone);
}

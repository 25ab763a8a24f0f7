using System.Globalization;

namespace ShelfAgent.Simulator;

/// <summary>Command-line values that need more than a type: --duration's units.</summary>
public static class SimArguments
{
    /// <summary>--duration (90, 90s, 15m, 1h) if given, else --seconds; null and a reason when it cannot be read.</summary>
    public static TimeSpan? Duration(string? duration, int seconds, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(duration))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        var text = duration.Trim();
        var (number, unit) = char.IsLetter(text[^1]) ? (text[..^1], text[^1]) : (text, 's');
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0
            || unit is not ('s' or 'm' or 'h'))
        {
            problem = $"--duration wants 90, 90s, 15m or 1h; got '{duration}'";
            return null;
        }

        return TimeSpan.FromSeconds(value * unit switch { 'h' => 3600, 'm' => 60, _ => 1 });
    }
}

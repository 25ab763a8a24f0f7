using System.Globalization;

namespace ShelfAgent.Sensors;

/// <summary>
/// Pure checks on readings that did arrive: out of range in grams, and stuck (the same raw value for too
/// long: a 24-bit converter on a real load cell always shows a few counts of noise, so an unchanging value
/// means a dead chip or a held line). Takes values and the time; returns a fault reason or null.
/// </summary>
public sealed class SensorHealthMonitor(SensorHealthLimits limits)
{
    private double? _lastRaw;
    private DateTimeOffset _sameSince;

    /// <summary>The limits applied.</summary>
    public SensorHealthLimits Limits => limits;

    /// <summary>Checks one reading; returns why it is a fault, or null.</summary>
    public string? Check(DateTimeOffset now, double raw, double? grams)
    {
        var c = CultureInfo.InvariantCulture;
        if (_lastRaw is not { } last || last != raw)
        {
            _lastRaw = raw;
            _sameSince = now;
        }
        else if (limits.StuckAfter is { } stuck && stuck > TimeSpan.Zero && now - _sameSince >= stuck)
        {
            return string.Create(
                c, $"stuck: raw value {raw} unchanged for {(now - _sameSince).TotalSeconds:0} s (dead converter, or DOUT/SDA held by a fault)");
        }

        if (grams is { } g)
        {
            if (limits.MaxGrams is { } max && g > max)
            {
                return string.Create(c, $"out of range: {g:0.#} g is above MaxGrams ({max} g): overload, or a calibration that no longer fits");
            }

            if (limits.MinGrams is { } min && g < min)
            {
                return string.Create(c, $"out of range: {g:0.#} g is below MinGrams ({min} g): a cell wired backwards, a shifted tray, or a stale tare");
            }
        }

        return null;
    }

    /// <summary>Forgets history (after the sensor was reopened).</summary>
    public void Reset() => _lastRaw = null;
}

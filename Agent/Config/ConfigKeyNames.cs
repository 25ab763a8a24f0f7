using System.Globalization;

namespace ShelfAgent.Config;

/// <summary>
/// Says a flat configuration key as a person reads it. The configuration layer numbers list entries from 0
/// (<c>Slots:1:LowStockAt</c>), which names neither the slot nor its place as anyone counts it; a slot is named by its
/// id when it has one no other slot shares (<c>Slots[A1].LowStockAt</c>), else by its position from 1
/// (<c>Slots[#2].LowStockAt</c>), and so is every list inside it (<c>Slots[A1].Sensor.Curve[#2].Volts</c>). Keys outside
/// a list stay as they are (<c>Mqtt:Port</c>), as docs/configuration.md names them. Pure.
/// </summary>
public static class ConfigKeyNames
{
    /// <summary>The readable name of <paramref name="key"/>.</summary>
    /// <param name="key">A flat key, e.g. <c>Slots:0:Sensor:Curve:1:Volts</c>.</param>
    /// <param name="slotId">The id that names the slot at a 0-based position, or null to name it by position.</param>
    public static string Of(string key, Func<int, string?> slotId)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(slotId);
        var parts = key.Split(':');
        if (parts.Length < 2 || !string.Equals(parts[0], "Slots", StringComparison.OrdinalIgnoreCase) || Index(parts[1]) is not { } slot)
        {
            return key;
        }

        var name = new System.Text.StringBuilder(parts[0]).Append('[').Append(slotId(slot) ?? Position(slot)).Append(']');
        foreach (var part in parts.Skip(2))
        {
            if (Index(part) is { } i)
            {
                name.Append('[').Append(Position(i)).Append(']');
            }
            else
            {
                name.Append('.').Append(part);
            }
        }

        return name.ToString();
    }

    /// <summary>
    /// The ids that may name the slots of <paramref name="ids"/> (the <c>Id</c> at each position, null where none):
    /// an id names its slot when it is not blank and no other slot has it, compared as the loader compares ids
    /// (ignoring case); any other slot is named by position.
    /// </summary>
    public static Func<int, string?> SlotIds(IReadOnlyDictionary<int, string?> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var counts = ids.Values.Where(id => !string.IsNullOrWhiteSpace(id))
            .GroupBy(id => id!.Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
        return i => ids.TryGetValue(i, out var id) && !string.IsNullOrWhiteSpace(id) && counts[id.Trim()] == 1 ? id.Trim() : null;
    }

    /// <summary>How a list entry without an id is named: its position counted from 1, <c>#2</c> for index 1.</summary>
    public static string Position(int index) => "#" + (index + 1).ToString(CultureInfo.InvariantCulture);

    private static int? Index(string part)
        => part.Length > 0 && int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : null;
}

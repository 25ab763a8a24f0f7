using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using ShelfAgent.Sensors;

namespace ShelfAgent.Config;

/// <summary>
/// Reads one <c>Slots[].Sensor</c> block. Before the binder sees it, every key is matched against the
/// properties of <see cref="SensorOptions"/> (a misspelled key is left unread, so the loader warns about it)
/// and every value against its property's type (so "loud" for a number is a line naming the key, not the
/// binder's "Failed to convert … to type 'System.Double'"). Keys added to the options class are known here
/// without a second list to keep in step. <c>Type</c> is parsed here, once, into a <see cref="SensorType"/>.
/// </summary>
internal static class SensorSectionReader
{
    private static readonly Dictionary<string, Type> SensorKeys = Keys(typeof(SensorOptions));
    private static readonly Dictionary<string, Type> CurvePointKeys = Keys(typeof(SensorCurvePoint));

    /// <summary>The block's options, or null when its <c>Type</c> is unknown (a problem naming the key is recorded; nothing else can be judged).</summary>
    public static SensorOptions? Read(ConfigReader r, IConfigurationSection section)
    {
        // Every key the block could hold counts as read, present or not, so a misspelling can be matched to one.
        foreach (var known in SensorKeys.Keys)
        {
            r.MarkRead($"{section.Path}:{known}");
        }

        var accepted = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var typeUnknown = false;
        foreach (var (relative, value) in section.AsEnumerable(makePathsRelative: true))
        {
            if (relative.Length == 0)
            {
                continue;
            }

            var fullKey = $"{section.Path}:{relative}";
            if (TypeOf(relative) is not { } type)
            {
                continue; // unknown: stays unread, and the loader warns "unknown key, ignored (a typo?)"
            }

            r.MarkRead(fullKey);
            if (value is null)
            {
                continue; // a section (Curve, Curve:0)
            }

            if (Describe(type, value) is { } expected)
            {
                r.Problem(fullKey, $"must be {expected} (was \"{value}\")");
                typeUnknown |= type == typeof(SensorType);
                continue;
            }

            // The binder gets the type's own spelling, whatever case the file used.
            accepted[relative] = EnumName(type, value) ?? value;
        }

        if (typeUnknown)
        {
            return null;
        }

        try
        {
            return new ConfigurationBuilder().AddInMemoryCollection(accepted).Build().Get<SensorOptions>() ?? new SensorOptions();
        }
        catch (InvalidOperationException e)
        {
            // Not expected after the checks above; still a line naming the block rather than a stack trace.
            r.Problem(section.Path, e.Message);
            return new SensorOptions();
        }
    }

    /// <summary>The property type a relative key binds to, or null if no property takes it.</summary>
    private static Type? TypeOf(string relative)
    {
        var parts = relative.Split(':');
        if (!SensorKeys.TryGetValue(parts[0], out var type))
        {
            return null;
        }

        if (type != typeof(List<SensorCurvePoint>))
        {
            return parts.Length == 1 ? type : null;
        }

        // Curve, Curve:0, Curve:0:Volts
        return parts.Length switch
        {
            1 => type,
            2 => int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _) ? typeof(SensorCurvePoint) : null,
            3 => int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _) && CurvePointKeys.TryGetValue(parts[2], out var point)
                ? point
                : null,
            _ => null,
        };
    }

    /// <summary>What the value should have been, in the user's words, or null when it converts.</summary>
    private static string? Describe(Type type, string value)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        var text = value.Trim();
        if (t == typeof(double))
        {
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? null : "a number";
        }

        if (t == typeof(int))
        {
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? null : "a whole number";
        }

        if (t == typeof(bool))
        {
            return bool.TryParse(text, out _) ? null : "true or false";
        }

        if (t == typeof(string))
        {
            return null;
        }

        if (t == typeof(SensorType))
        {
            return SensorTypes.TryParse(value, out _) ? null : $"one of {SensorTypes.Names()}";
        }

        if (t.IsEnum)
        {
            // Filter, DistanceMode: "Median or TrimmedMean", "Short or Long".
            var names = Enum.GetNames(t);
            return EnumName(t, value) is not null ? null : string.Join(", ", names[..^1]) + " or " + names[^1];
        }

        // A list or object written as a plain value ("Curve": "x").
        return t == typeof(List<SensorCurvePoint>) ? "a list of { \"Volts\": …, \"Value\": … } points" : "an object";
    }

    /// <summary>
    /// The enum member <paramref name="text"/> names, in the enum's own spelling; matched case-insensitively as keys
    /// are, and only by name (not a number, not a list, not padded), so the names in agent.json are the contract.
    /// </summary>
    private static string? EnumName(Type type, string text)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsEnum ? Array.Find(Enum.GetNames(t), n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase)) : null;
    }

    private static Dictionary<string, Type> Keys(
        [System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicProperties)]
        Type type)
        => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .ToDictionary(p => p.Name, p => p.PropertyType, StringComparer.OrdinalIgnoreCase);
}

using System.Globalization;
using Microsoft.Extensions.Configuration;
using ShelfAgent.Validation;

namespace ShelfAgent.Config;

/// <summary>
/// Typed, validating reads of configuration keys that record every problem instead of stopping at the
/// first, so an installer fixes agent.json in one pass. Remembers which keys it read so unknown ones
/// (usually typos) can be pointed out.
/// </summary>
internal sealed class ConfigReader(IConfigurationRoot root, IReadOnlyDictionary<string, string> environmentKeys)
{
    private readonly HashSet<string> _read = new(StringComparer.OrdinalIgnoreCase);
    private Func<int, string?>? _slotIds;

    public List<ConfigProblem> Problems { get; } = [];

    public IConfigurationRoot Root => root;

    public void Problem(string key, string message) => Problems.Add(new ConfigProblem(key, message + Origin(key)) { Name = NameOf(key) });

    /// <summary>The key as a person reads it: slots by id or 1-based position (<see cref="ConfigKeyNames"/>).</summary>
    public string NameOf(string key)
    {
        // The ids as the file (and environment) give them, so a slot is named even when its own keys have problems.
        _slotIds ??= ConfigKeyNames.SlotIds(root.GetSection("Slots").GetChildren()
            .Where(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .ToDictionary(c => int.Parse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture), c => c["Id"]));
        return ConfigKeyNames.Of(key, _slotIds);
    }

    /// <summary>Marks a whole section as consumed (read by someone else, e.g. the binder).</summary>
    public void Consumed(string sectionKey)
    {
        _read.Add(sectionKey);
        foreach (var pair in root.GetSection(sectionKey).AsEnumerable())
        {
            _read.Add(pair.Key);
        }
    }

    /// <summary>Marks one key as read (its value was taken by someone else, e.g. the binder).</summary>
    public void MarkRead(string key) => _read.Add(key);

    public string? String(string key, bool required = false, string? @default = null)
    {
        _read.Add(key);
        var value = root[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                Problem(key, "is required");
            }

            return @default;
        }

        return value.Trim();
    }

    public int Int(string key, int @default, int min, int max)
        => (int)Long(key, @default, min, max);

    /// <summary>A whole number whose range the component's own validator checks (one place per rule).</summary>
    public long Long(string key, long @default)
    {
        _read.Add(key);
        var value = root[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return @default;
        }

        if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            Problem(key, $"must be a whole number (was \"{value}\")");
            return @default;
        }

        return parsed;
    }

    /// <summary>As <see cref="Long(string, long)"/>, for an int-sized key.</summary>
    public int Int(string key, int @default)
    {
        var value = Long(key, @default);
        if (value is < int.MinValue or > int.MaxValue)
        {
            Problem(key, $"must be a whole number from {int.MinValue} to {int.MaxValue} (was {value})");
            return @default;
        }

        return (int)value;
    }

    public long Long(string key, long @default, long min, long max)
    {
        _read.Add(key);
        var value = root[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return @default;
        }

        if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            Problem(key, $"must be a whole number from {min} to {max} (was \"{value}\")");
            return @default;
        }

        if (parsed < min || parsed > max)
        {
            Problem(key, $"must be from {min} to {max} (was {parsed})");
            return @default;
        }

        return parsed;
    }

    public bool Bool(string key, bool @default)
    {
        _read.Add(key);
        var value = root[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return @default;
        }

        if (!bool.TryParse(value, out var parsed))
        {
            Problem(key, $"must be true or false (was \"{value}\")");
            return @default;
        }

        return parsed;
    }

    public double Double(string key, double @default, double min, double max, bool required = false)
    {
        _read.Add(key);
        var value = root[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                Problem(key, "is required");
            }

            return @default;
        }

        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) || !double.IsFinite(parsed))
        {
            Problem(
                key,
                $"must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)} (was \"{value}\")");
            return @default;
        }

        if (parsed < min || parsed > max)
        {
            Problem(
                key,
                $"must be from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)} " +
                $"(was {parsed.ToString(CultureInfo.InvariantCulture)})");
            return @default;
        }

        return parsed;
    }

    /// <summary>Keys present in the configuration that nothing read: usually a typo ("Mqtt:Hots").</summary>
    public IEnumerable<string> UnreadKeys()
        => root.AsEnumerable()
            .Where(pair => pair.Value is not null && !_read.Contains(pair.Key))
            .Select(pair => pair.Key)
            .Order(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The known key beside <paramref name="unknown"/> (same section) that it most likely misspells — at most two
    /// edits away, e.g. <c>Sampels</c> → <c>Samples</c>, <c>GpioChp</c> → <c>GpioChip</c> — or null.
    /// </summary>
    public string? Closest(string unknown)
    {
        ArgumentNullException.ThrowIfNull(unknown);
        var cut = unknown.LastIndexOf(':');
        var parent = cut < 0 ? "" : unknown[..(cut + 1)];
        var name = unknown[(cut + 1)..];
        return _read
            .Where(k => k.StartsWith(parent, StringComparison.OrdinalIgnoreCase) && k.IndexOf(':', parent.Length) < 0 && k.Length > parent.Length)
            .Select(k => (Name: k[parent.Length..], Distance: EditDistance(name.ToUpperInvariant(), k[parent.Length..].ToUpperInvariant())))
            .Where(c => c.Distance is > 0 and <= 2 && c.Distance < c.Name.Length / 2 + 1)
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name)
            .FirstOrDefault();
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours.</summary>
    internal static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    /// <summary>Names the environment variable when it, not the file, supplied the value.</summary>
    private string Origin(string key)
        => environmentKeys.TryGetValue(key, out var variable) ? $" (set by environment variable {variable})" : "";
}

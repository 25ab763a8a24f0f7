using System.Globalization;
using System.Text;

namespace ShelfAgent.IotCore.Jobs;

/// <summary>
/// Makes statusDetails that AWS accepts ("JobExecutionStatusDetails"): at most 10 pairs; keys 1–128 characters of
/// <c>[a-zA-Z0-9:_-]</c>; values 1–128 characters with no control or format characters (<c>[^\p{C}]+</c>). Pure: the
/// caller lists pairs most important first, and gets them back within the limits — an invalid character becomes
/// <c>_</c> in a key or a space in a value, a long value is cut (never inside a surrogate pair) and ends in "…", a
/// repeated key gets a suffix, and pairs beyond the ninth are replaced by one <c>omitted</c> pair that counts them.
/// </summary>
public static class StatusDetails
{
    /// <summary>Pairs per execution (AWS IoT Jobs limit).</summary>
    public const int MaxPairs = 10;

    /// <summary>Characters per key and per value (AWS IoT Jobs limit; counted in UTF-16 units as AWS's Java does).</summary>
    public const int MaxLength = 128;

    /// <summary>The limited pairs, in the caller's order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Limit(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var all = pairs.ToList();
        var keep = all.Count <= MaxPairs ? all.Count : MaxPairs - 1;
        var result = new List<KeyValuePair<string, string>>(Math.Min(all.Count, MaxPairs));
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in all.Take(keep))
        {
            result.Add(new(Unique(Key(key), used), Value(value)));
        }

        if (all.Count > keep)
        {
            result.Add(new(
                Unique("omitted", used), $"{(all.Count - keep).ToString(CultureInfo.InvariantCulture)} more details left out (AWS allows {MaxPairs} pairs)"));
        }

        return result;
    }

    /// <summary>A key within the pattern and length: invalid characters become '_'; empty becomes "detail".</summary>
    public static string Key(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return "detail";
        }

        var builder = new StringBuilder(Math.Min(key.Length, MaxLength));
        foreach (var c in key)
        {
            if (builder.Length == MaxLength)
            {
                break;
            }

            builder.Append(char.IsAsciiLetterOrDigit(c) || c is ':' or '_' or '-' ? c : '_');
        }

        return builder.ToString();
    }

    /// <summary>A value within the pattern and length: control/format characters become spaces; empty becomes "-".</summary>
    public static string Value(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "-";
        }

        var builder = new StringBuilder(Math.Min(value.Length, MaxLength + 1));
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                var category = CharUnicodeInfo.GetUnicodeCategory(value, i);
                builder.Append(IsOther(category) ? " " : value.Substring(i, 2));
                i++;
                continue;
            }

            // A lone surrogate is \p{Cs}: replaced like any other \p{C}.
            builder.Append(IsOther(CharUnicodeInfo.GetUnicodeCategory(c)) ? ' ' : c);
        }

        var text = builder.ToString().Trim();
        if (text.Length == 0)
        {
            return "-";
        }

        if (text.Length <= MaxLength)
        {
            return text;
        }

        var cut = MaxLength - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            // Never split a surrogate pair: the half left behind would be \p{Cs}.
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), "…");
    }

    private static bool IsOther(UnicodeCategory category) => category is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;

    private static string Unique(string key, HashSet<string> used)
    {
        if (used.Add(key))
        {
            return key;
        }

        for (var n = 2; ; n++)
        {
            var suffix = "-" + n.ToString(CultureInfo.InvariantCulture);
            var candidate = (key.Length + suffix.Length > MaxLength ? key[..(MaxLength - suffix.Length)] : key) + suffix;
            if (used.Add(candidate))
            {
                return candidate;
            }
        }
    }
}

using System.Globalization;
using System.Text.Json;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Contract;

/// <summary>
/// Reads <c>shelf.profile.v1</c> documents (docs/profile.schema.json): JSON lines, one profile per line, or one JSON
/// array of them. Pure: text in, profiles and problems out; every problem names its line.
/// </summary>
public static class DemandProfileParser
{
    /// <summary>Parses the whole text; returns the valid profiles and one message per bad line.</summary>
    public static (IReadOnlyList<DemandProfile> Profiles, IReadOnlyList<string> Problems) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var profiles = new List<DemandProfile>();
        var problems = new List<string>();
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('['))
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                var i = 0;
                foreach (var element in doc.RootElement.EnumerateArray())
                {
                    i++;
                    Add(element, $"element {i}", profiles, problems);
                }
            }
            catch (JsonException e)
            {
                problems.Add($"not a JSON array of profiles: {e.Message}");
            }

            return (profiles, problems);
        }

        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                using var doc = JsonDocument.Parse(line);
                Add(doc.RootElement, $"line {n + 1}", profiles, problems);
            }
            catch (JsonException e)
            {
                problems.Add($"line {n + 1}: not JSON ({e.Message.Split(" LineNumber:")[0]})");
            }
        }

        return (profiles, problems);
    }

    private static void Add(JsonElement e, string where, List<DemandProfile> profiles, List<string> problems)
    {
        if (TryRead(e, out var profile, out var problem))
        {
            profiles.Add(profile);
        }
        else
        {
            problems.Add($"{where}: {problem}");
        }
    }

    /// <summary>Reads one profile document.</summary>
    public static bool TryRead(JsonElement e, out DemandProfile profile, out string problem)
    {
        profile = null!;
        if (e.ValueKind != JsonValueKind.Object)
        {
            problem = "not a JSON object";
            return false;
        }

        if (Str(e, "schema") != DemandProfile.Schema)
        {
            problem = $"schema must be \"{DemandProfile.Schema}\"";
            return false;
        }

        var store = Str(e, "store");
        var sku = Str(e, "sku");
        if (string.IsNullOrEmpty(store) || string.IsNullOrEmpty(sku))
        {
            problem = "store and sku are required";
            return false;
        }

        if (!e.TryGetProperty("picksPerHour", out var values) || values.ValueKind != JsonValueKind.Array || values.GetArrayLength() != HourOfWeek.Count)
        {
            problem = $"picksPerHour must be an array of {HourOfWeek.Count} numbers (hour of week, UTC, Monday 00:00 first)";
            return false;
        }

        var rates = new double[HourOfWeek.Count];
        var i = 0;
        foreach (var v in values.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var rate) || !double.IsFinite(rate) || rate < 0)
            {
                problem = $"picksPerHour[{i}] must be a number ≥ 0";
                return false;
            }

            rates[i++] = rate;
        }

        var generated = DateTimeOffset.MinValue;
        if (Str(e, "generated") is { } g && !DateTimeOffset.TryParse(g, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out generated))
        {
            problem = "generated must be an ISO-8601 timestamp";
            return false;
        }

        var weeks = e.TryGetProperty("weeks", out var w) && w.TryGetInt32(out var wk) ? wk : 0;
        profile = new DemandProfile(store, Str(e, "thing"), Str(e, "slot"), sku, generated, weeks, rates);
        problem = "";
        return true;
    }

    private static string? Str(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

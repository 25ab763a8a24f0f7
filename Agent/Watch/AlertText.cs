using System.Globalization;
using System.Text.Json;

namespace ShelfAgent.Watch;

/// <summary>
/// An alert's details in words (docs/data-contract.md, "Alerts"): the fields of <c>predicted-empty</c> as a person
/// says them, times in the viewer's local time. Fields of alert types this build does not know are shown by name,
/// times among them converted too, so a newer agent's alerts still read.
/// </summary>
internal static class AlertText
{
    private static readonly HashSet<string> Header = new(StringComparer.Ordinal) { "schema", "thing", "store", "ts", "slot", "sku", "type", "count", "reason" };

    private static readonly HashSet<string> Predicted = new(StringComparer.Ordinal) { "expectedEmpty", "probability", "ratePerHour", "horizonMinutes" };

    /// <summary>"count 3, empty expected 14:30 (in 25 min), probability 91%, 11.5 picks/h, horizon 60 min".</summary>
    public static string Details(JsonElement alert, LocalTime clock)
    {
        var c = CultureInfo.InvariantCulture;
        var detail = new List<string>();
        if (JsonFields.Int(alert, "count") is { } count)
        {
            detail.Add(string.Create(c, $"count {count}"));
        }

        if (JsonFields.Text(alert, "reason") is { } reason)
        {
            detail.Add(reason);
        }

        if (JsonFields.Time(alert, "expectedEmpty") is { } empty)
        {
            detail.Add($"empty expected {clock.When(empty)} ({clock.Relative(empty)})");
        }

        if (JsonFields.Number(alert, "probability") is { } p)
        {
            detail.Add(string.Create(c, $"probability {p:0%}"));
        }

        if (JsonFields.Number(alert, "ratePerHour") is { } rate)
        {
            detail.Add(string.Create(c, $"{rate:0.#} picks/h"));
        }

        if (JsonFields.Number(alert, "horizonMinutes") is { } horizon)
        {
            detail.Add(string.Create(c, $"horizon {horizon:0} min"));
        }

        foreach (var field in alert.EnumerateObject().Where(f => !Header.Contains(f.Name) && !Predicted.Contains(f.Name)))
        {
            detail.Add($"{field.Name} {Value(field.Value, clock)}");
        }

        return string.Join(", ", detail);
    }

    private static string Value(JsonElement value, LocalTime clock) => value.ValueKind switch
    {
        JsonValueKind.String when JsonFields.Timestamp(value.GetString()!) is { } at => $"{clock.When(at)} ({clock.Relative(at)})",
        JsonValueKind.String => value.GetString()!,
        _ => value.GetRawText(),
    };
}

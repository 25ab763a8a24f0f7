using System.Globalization;
using System.Text.Json;
using ShelfAgent.Stock;

namespace ShelfAgent.Backtest;

/// <summary>
/// Reads the lines <c>shelf-agent backtest</c> accepts: <c>shelf-agent buffer export --format jsonl</c> (reading lines
/// <c>{"type":"reading","seq","ts","slot","sku","grams","count","status","reason"}</c>; event lines are skipped) and the
/// lake's reading rows exported as JSON lines (the same fields without <c>type</c>, plus <c>thing</c>, <c>store</c>;
/// Athena writes timestamps as <c>2026-11-22 05:20:00.123</c>, read as UTC). Pure.
/// </summary>
public static class ReadingLineParser
{
    /// <summary>What one line held.</summary>
    public enum Outcome
    {
        /// <summary>A reading.</summary>
        Reading,
        /// <summary>A line that is valid but not a reading (an exported event, a blank line).</summary>
        Skipped,
        /// <summary>A line that cannot be read: the problem says why.</summary>
        Bad,
    }

    /// <summary>Parses one line.</summary>
    public static Outcome Parse(string line, int lineNumber, out ReadingLine? reading, out string problem)
    {
        reading = null;
        problem = "";
        if (string.IsNullOrWhiteSpace(line))
        {
            return Outcome.Skipped;
        }

        try
        {
            using var doc = JsonDocument.Parse(line);
            var e = doc.RootElement;
            if (e.ValueKind != JsonValueKind.Object)
            {
                problem = "not a JSON object";
                return Outcome.Bad;
            }

            var type = Str(e, "type");
            if (type is not null && type != "reading")
            {
                return Outcome.Skipped;
            }

            var slot = Str(e, "slot");
            var sku = Str(e, "sku");
            if (string.IsNullOrEmpty(slot) || string.IsNullOrEmpty(sku))
            {
                problem = "slot and sku are required";
                return Outcome.Bad;
            }

            if (Str(e, "ts") is not { } tsText || !TryTimestamp(tsText, out var ts))
            {
                problem = "ts must be a timestamp (ISO-8601, UTC)";
                return Outcome.Bad;
            }

            if (!TryStatus(Str(e, "status"), out var status))
            {
                problem = "status must be ok, low, empty or fault";
                return Outcome.Bad;
            }

            int? count = null;
            if (e.TryGetProperty("count", out var c) && c.ValueKind != JsonValueKind.Null)
            {
                if (c.ValueKind != JsonValueKind.Number || !c.TryGetInt32(out var n) || n < 0)
                {
                    problem = "count must be a whole number ≥ 0 or null";
                    return Outcome.Bad;
                }

                count = n;
            }

            if (count is null && status != StockStatus.Fault)
            {
                problem = "count is null but status is not fault";
                return Outcome.Bad;
            }

            double? grams = e.TryGetProperty("grams", out var g) && g.ValueKind == JsonValueKind.Number ? g.GetDouble() : null;
            long? seq = e.TryGetProperty("seq", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var sv) ? sv : null;
            var r = status == StockStatus.Fault
                ? new Reading(ts, slot, sku, null, null, StockStatus.Fault, Str(e, "reason") ?? "fault")
                : new Reading(ts, slot, sku, grams, count, status, Str(e, "reason"));
            reading = new ReadingLine(lineNumber, Str(e, "thing"), Str(e, "store"), seq, r);
            return Outcome.Reading;
        }
        catch (JsonException ex)
        {
            problem = "not JSON: " + ex.Message.Split(" LineNumber:")[0];
            return Outcome.Bad;
        }
    }

    private static bool TryTimestamp(string text, out DateTimeOffset ts)
        => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out ts);

    private static bool TryStatus(string? text, out StockStatus status)
    {
        status = text switch
        {
            "ok" => StockStatus.Ok,
            "low" => StockStatus.Low,
            "empty" => StockStatus.Empty,
            "fault" => StockStatus.Fault,
            _ => (StockStatus)(-1),
        };
        return Enum.IsDefined(status);
    }

    private static string? Str(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

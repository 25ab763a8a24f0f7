using System.Text.Json;
using System.Text.Json.Nodes;

namespace ShelfAgent.LocalLake.Ingest;

/// <summary>
/// A published message as the lake's rows, as the Firehose transform does it (Cloud/Lambda/shelf-activity.js): an event
/// or alert is one row of <c>raw_events</c>, a forecast one row per slot of <c>raw_forecasts</c>; <c>received</c> is
/// the arrival time. Pure.
/// </summary>
public static class MessageRows
{
    /// <summary>The rows of <paramref name="payload"/>: (table, row JSON); none for other schemas.</summary>
    public static IEnumerable<(string Table, string Row)> Of(ReadOnlySpan<byte> payload, DateTimeOffset received)
    {
        var doc = JsonNode.Parse(payload) as JsonObject ?? throw new JsonException("not a JSON object");
        var schema = (string?)doc["schema"];
        var at = received.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var rows = new List<(string, string)>();
        if (schema is "shelf.event.v1" or "shelf.alert.v1")
        {
            var row = new JsonObject();
            foreach (var key in new[] { "schema", "thing", "store", "ts", "slot", "sku", "type", "delta", "count", "reason",
                                        "expectedEmpty", "probability", "ratePerHour", "horizonMinutes" })
            {
                row[key] = doc[key]?.DeepClone();
            }

            row["received"] = at;
            rows.Add(("events", row.ToJsonString()));
        }
        else if (schema == "shelf.forecast.v1" && doc["slots"] is JsonArray slots)
        {
            foreach (var slot in slots.OfType<JsonObject>())
            {
                var row = new JsonObject
                {
                    ["schema"] = schema,
                    ["thing"] = doc["thing"]?.DeepClone(),
                    ["store"] = doc["store"]?.DeepClone(),
                    ["ts"] = doc["ts"]?.DeepClone(),
                    ["horizonMinutes"] = doc["horizonMinutes"]?.DeepClone(),
                };
                foreach (var key in new[] { "slot", "sku", "count", "ratePerHour", "expectedEmpty", "probEmpty", "profile" })
                {
                    row[key] = slot[key]?.DeepClone();
                }

                row["received"] = at;
                row["nextRefill"] = slot["nextRefill"]?.DeepClone();
                rows.Add(("forecasts", row.ToJsonString()));
            }
        }

        return rows;
    }
}

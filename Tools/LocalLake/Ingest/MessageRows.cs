using System.Text.Json;
using System.Text.Json.Nodes;
using ShelfAgent.Contract;

namespace ShelfAgent.LocalLake.Ingest;

/// <summary>
/// A published message as the lake's rows, as the Firehose transforms do it (Cloud/Lambda/shelf-activity.js,
/// shelf-transform.js): an event or alert is one row of <c>raw_events</c>, a forecast one row per slot of
/// <c>raw_forecasts</c>, a telemetry batch (v1, or v2 expanded to the same readings) one row per reading of
/// <c>raw_readings</c>; <c>received</c> is the arrival time. Pure.
/// </summary>
public static class MessageRows
{
    /// <summary>The rows of <paramref name="payload"/>: (table, row JSON); none for other schemas.</summary>
    /// <param name="payload">The message as published.</param>
    /// <param name="received">Its arrival time (the raw partition's day).</param>
    /// <param name="topicStore">The store of the topic it came on (the device policy pins it to the certificate), or null.</param>
    /// <param name="topicThing">The thing of that topic, or null.</param>
    /// <exception cref="JsonException">Not a JSON object, no readings in a batch, or a store or thing other than the topic's
    /// (the transforms keep such a message apart as a processing failure, never mixed in).</exception>
    /// <exception cref="InvalidDataException">A malformed v2 batch.</exception>
    public static IEnumerable<(string Table, string Row)> Of(
        ReadOnlySpan<byte> payload, DateTimeOffset received, string? topicStore = null, string? topicThing = null)
    {
        var doc = JsonNode.Parse(payload) as JsonObject ?? throw new JsonException("not a JSON object");
        if ((topicStore is not null && (string?)doc["store"] != topicStore) || (topicThing is not null && (string?)doc["thing"] != topicThing))
        {
            throw new JsonException("topic and payload disagree");
        }

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

        else if (schema is TelemetryV1Encoder.Schema or TelemetryV2Encoder.Schema)
        {
            rows.AddRange(Readings(doc, schema, payload, at));
        }

        return rows;
    }

    // shelf-transform.js `readings`: a v2 batch is expanded to v1's readings (here by the agent's own decoder and v1
    // encoder, so the two stay one definition), each row keeps the batch's schema, and the batch's per-slot eviction
    // counts ride on its first row only, so SUM over rows counts each once.
    private static List<(string, string)> Readings(JsonObject doc, string schema, ReadOnlySpan<byte> payload, string at)
    {
        if (schema == TelemetryV2Encoder.Schema)
        {
            var batch = TelemetryV2Decoder.Decode(payload.ToArray());
            doc = JsonNode.Parse(TelemetryV1Encoder.Encode(batch.Envelope, batch.Sent, batch.Readings, batch.Dropped)) as JsonObject
                  ?? throw new JsonException("v2 batch did not re-encode as an object");
        }

        if (doc["readings"] is not JsonArray readings || readings.Count == 0)
        {
            throw new JsonException("no readings");
        }

        var rows = new List<(string, string)>();
        var first = true;
        foreach (var reading in readings.OfType<JsonObject>())
        {
            var row = new JsonObject
            {
                ["schema"] = schema,
                ["thing"] = doc["thing"]?.DeepClone(),
                ["store"] = doc["store"]?.DeepClone(),
                ["sent"] = doc["sent"]?.DeepClone(),
                ["received"] = at,
                ["dropped"] = first ? doc["dropped"]?.DeepClone() : null,
            };
            foreach (var key in new[] { "seq", "ts", "slot", "sku", "grams", "count", "status", "reason" })
            {
                row[key] = reading[key]?.DeepClone();
            }

            row["timeUntrusted"] = reading["timeUntrusted"]?.GetValueKind() == JsonValueKind.True;
            first = false;
            rows.Add(("readings", row.ToJsonString()));
        }

        return rows;
    }
}

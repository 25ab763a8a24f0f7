using System.Text;
using System.Text.Json;
using ShelfAgent.Contract;

namespace ShelfAgent.Tests.Integration;

/// <summary>Reads what an independent subscriber received: sequence numbers per thing, payloads per topic.</summary>
public static class TelemetryLog
{
    public static IReadOnlyList<string> Payloads(IEnumerable<(string Topic, string Payload)> messages, string topicSuffix)
        => messages.Where(m => m.Topic.EndsWith(topicSuffix, StringComparison.Ordinal)).Select(m => m.Payload).ToList();

    /// <summary>
    /// A telemetry payload as <c>shelf.telemetry.v1</c>: a v2 batch (the agent's default since issue 21) expanded by the
    /// contract's decoder and written again by the v1 encoder, so a test can look for a reading's v1 text; v1 as it came.
    /// </summary>
    public static string AsV1(string payload)
    {
        if (!payload.Contains($"\"{TelemetryV2Encoder.Schema}\"", StringComparison.Ordinal))
        {
            return payload;
        }

        var batch = TelemetryV2Decoder.Decode(Encoding.UTF8.GetBytes(payload));
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        TelemetryV1Encoder.Encode(buffer, batch.Envelope, batch.Sent, batch.Readings, batch.Dropped, int.MaxValue);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static List<long> Seqs(IEnumerable<(string Topic, string Payload)> messages)
    {
        var seqs = new List<long>();
        foreach (var payload in Payloads(messages, "/telemetry"))
        {
            using var doc = JsonDocument.Parse(payload);
            if (doc.RootElement.GetProperty("schema").GetString() == TelemetryV2Encoder.Schema)
            {
                // A backlog batch: expand the columns back into readings.
                seqs.AddRange(TelemetryV2Decoder.Decode(Encoding.UTF8.GetBytes(payload)).Readings.Select(r => r.Seq));
                continue;
            }

            foreach (var r in doc.RootElement.GetProperty("readings").EnumerateArray())
            {
                seqs.Add(r.GetProperty("seq").GetInt64());
            }
        }

        return seqs;
    }

    /// <summary>Sequence numbers missing between 1 and the highest received.</summary>
    public static List<long> Gaps(IEnumerable<long> seqs)
    {
        var set = seqs.ToHashSet();
        if (set.Count == 0)
        {
            return [];
        }

        var max = set.Max();
        var gaps = new List<long>();
        for (long s = 1; s <= max; s++)
        {
            if (!set.Contains(s))
            {
                gaps.Add(s);
            }
        }

        return gaps;
    }
}

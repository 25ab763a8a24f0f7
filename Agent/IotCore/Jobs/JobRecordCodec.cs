using System.Text.Json;

namespace ShelfAgent.IotCore.Jobs;

/// <summary>
/// <see cref="JobRecord"/> to and from JSON (Utf8JsonWriter and JsonDocument: no reflection, the agent is trimmed):
/// <c>{"jobId","executionNumber","operation","phase":"running"|"finished","attempts","identity","outcome":{"status","details":{…}}}</c>.
/// Pure.
/// </summary>
public static class JobRecordCodec
{
    /// <summary>The record as UTF-8 JSON.</summary>
    public static byte[] Encode(JobRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("jobId"u8, record.JobId);
            w.WriteNumber("executionNumber"u8, record.ExecutionNumber);
            if (record.Operation is { } op)
            {
                w.WriteString("operation"u8, op);
            }

            w.WriteString("phase"u8, record.Phase == JobPhase.Running ? "running" : "finished");
            w.WriteNumber("attempts"u8, record.Attempts);
            if (record.Identity is { } identity)
            {
                w.WriteString("identity"u8, identity);
            }

            if (record.Outcome is { } outcome)
            {
                w.WriteStartObject("outcome"u8);
                w.WriteString("status"u8, JobStatusWire.Name(outcome.Status));
                w.WriteStartArray("details"u8);
                foreach (var (key, value) in outcome.Details)
                {
                    w.WriteStartArray();
                    w.WriteStringValue(key);
                    w.WriteStringValue(value);
                    w.WriteEndArray();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>The record, or null with <paramref name="problem"/> when the bytes are not a record (a torn or foreign file).</summary>
    public static JobRecord? Decode(ReadOnlyMemory<byte> json, out string? problem)
    {
        problem = null;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var jobId = root.GetProperty("jobId").GetString();
            if (string.IsNullOrEmpty(jobId))
            {
                problem = "no jobId";
                return null;
            }

            var phase = root.GetProperty("phase").GetString() switch
            {
                "running" => JobPhase.Running,
                "finished" => JobPhase.Finished,
                var other => throw new FormatException($"unknown phase '{other}'"),
            };
            JobOutcome? outcome = null;
            if (root.TryGetProperty("outcome"u8, out var o))
            {
                if (!JobStatusWire.TryParse(o.GetProperty("status").GetString(), out var status))
                {
                    throw new FormatException("unknown outcome status");
                }

                var details = o.GetProperty("details").EnumerateArray()
                    .Select(pair => new KeyValuePair<string, string>(pair[0].GetString() ?? "", pair[1].GetString() ?? ""))
                    .ToList();
                outcome = new JobOutcome(status, details);
            }

            if (phase == JobPhase.Finished && outcome is null)
            {
                problem = "finished without an outcome";
                return null;
            }

            var operation = root.TryGetProperty("operation"u8, out var op) ? op.GetString() : null;
            var identity = root.TryGetProperty("identity"u8, out var id) ? id.GetString() : null;
            return new JobRecord(
                jobId, root.GetProperty("executionNumber").GetInt64(), operation, phase, root.GetProperty("attempts").GetInt32(), outcome, identity);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            problem = e.Message;
            return null;
        }
    }
}

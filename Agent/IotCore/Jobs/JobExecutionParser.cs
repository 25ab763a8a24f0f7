using System.Text.Json;

namespace ShelfAgent.IotCore.Jobs;

/// <summary>
/// Reads the <c>execution</c> object of a notify-next message or a start-next/accepted reply (Jobs device MQTT API):
/// <c>{"execution":{"jobId","status","versionNumber","executionNumber","jobDocument",…},"timestamp",…}</c>. A message
/// without <c>execution</c> means "nothing pending". Pure: bytes in, a value out.
/// </summary>
public static class JobExecutionParser
{
    /// <summary>
    /// Parses <paramref name="json"/>. True with <paramref name="execution"/> null when no execution is pending; false with
    /// <paramref name="problem"/> when the payload is not what the API documents.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> json, out JobExecution? execution, out string? problem)
    {
        execution = null;
        problem = null;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = "the message is not a JSON object";
                return false;
            }

            if (!document.RootElement.TryGetProperty("execution", out var e) || e.ValueKind == JsonValueKind.Null)
            {
                return true;
            }

            if (e.ValueKind != JsonValueKind.Object)
            {
                problem = "execution is not an object";
                return false;
            }

            var jobId = e.TryGetProperty("jobId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            if (string.IsNullOrEmpty(jobId))
            {
                problem = "execution has no jobId";
                return false;
            }

            var statusName = e.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            if (!JobStatusWire.TryParse(statusName, out var status))
            {
                problem = $"execution {jobId} has an unknown status '{statusName}'";
                return false;
            }

            var documentJson = e.TryGetProperty("jobDocument", out var d) && d.ValueKind != JsonValueKind.Null ? d.GetRawText() : null;
            execution = new JobExecution(jobId, status, Number(e, "executionNumber"), Number(e, "versionNumber"), documentJson);
            return true;
        }
        catch (JsonException x)
        {
            problem = $"not JSON: {x.Message}";
            return false;
        }
    }

    private static long Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetInt64(out var v) ? v : 0;
}

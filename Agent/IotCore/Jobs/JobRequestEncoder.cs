using System.Text.Json;

namespace ShelfAgent.IotCore.Jobs;

/// <summary>
/// The request payloads of the Jobs device MQTT API, written with Utf8JsonWriter (no reflection). Pure.
/// StartNextPendingJobExecution: <c>{"statusDetails","clientToken"}</c>; UpdateJobExecution:
/// <c>{"status","statusDetails","executionNumber","clientToken"}</c>. No <c>expectedVersion</c>: the agent is the only
/// writer of its executions, and after a restart it would only know a stale version (VersionMismatch for nothing).
/// </summary>
public static class JobRequestEncoder
{
    /// <summary>The start-next request.</summary>
    public static byte[] StartNext(string clientToken, IEnumerable<KeyValuePair<string, string>> statusDetails)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientToken);
        return Write(w =>
        {
            WriteDetails(w, statusDetails);
            w.WriteString("clientToken"u8, clientToken);
        });
    }

    /// <summary>The update request for one execution.</summary>
    public static byte[] Update(JobStatus status, IEnumerable<KeyValuePair<string, string>> statusDetails, long executionNumber, string clientToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientToken);
        if (status is not (JobStatus.InProgress or JobStatus.Succeeded or JobStatus.Failed or JobStatus.Rejected))
        {
            // Jobs device MQTT API: a device sets only these four.
            throw new ArgumentOutOfRangeException(nameof(status), status, "a device reports IN_PROGRESS, SUCCEEDED, FAILED or REJECTED");
        }

        return Write(w =>
        {
            w.WriteString("status"u8, JobStatusWire.Name(status));
            WriteDetails(w, statusDetails);
            if (executionNumber > 0)
            {
                w.WriteNumber("executionNumber"u8, executionNumber);
            }

            w.WriteString("clientToken"u8, clientToken);
        });
    }

    private static void WriteDetails(Utf8JsonWriter w, IEnumerable<KeyValuePair<string, string>> details)
    {
        var limited = StatusDetails.Limit(details);
        if (limited.Count == 0)
        {
            return;
        }

        w.WriteStartObject("statusDetails"u8);
        foreach (var (key, value) in limited)
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return stream.ToArray();
    }
}

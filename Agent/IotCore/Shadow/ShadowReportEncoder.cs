using System.Buffers;
using System.Text.Json;
using ShelfAgent.Contract;

namespace ShelfAgent.IotCore.Shadow;

/// <summary>
/// Encodes an <c>/update</c> request carrying the reported state (AWS IoT Developer Guide, "Device Shadow service
/// documents": <c>{"state":{"reported":{…}},"clientToken":"…"}</c>). Pure. Times are ISO-8601 UTC like telemetry.
/// An unknown value is written as null, which deletes the key from the shadow (so a stale value does not linger);
/// refused keys are an array because the shadow replaces arrays whole but merges objects key by key.
/// </summary>
public static class ShadowReportEncoder
{
    /// <summary>The request; <paramref name="clientToken"/> (≤ 64 bytes, AWS's limit) is echoed in the reply.</summary>
    public static byte[] Encode(ShadowReport report, string clientToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrEmpty(clientToken);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("state"u8);
            w.WritePropertyName("reported"u8);
            WriteReported(w, report);
            w.WriteEndObject();
            w.WriteString("clientToken"u8, clientToken);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The reported section alone (what counts against the 8 KB state limit).</summary>
    public static byte[] EncodeReported(ShadowReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            WriteReported(w, report);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteReported(Utf8JsonWriter w, ShadowReport r)
    {
        w.WriteStartObject();
        foreach (var (key, value) in r.Settings)
        {
            w.WritePropertyName(key);
            if (value is null)
            {
                w.WriteNullValue();
            }
            else
            {
                value.WriteTo(w);
            }
        }

        w.WriteStartObject("device"u8);
        w.WriteString("version"u8, r.AgentVersion);
        w.WriteString("configHash"u8, r.ConfigHash);
        if (r.LastConfigError is { } error)
        {
            w.WriteString("lastConfigError"u8, error);
        }
        else
        {
            w.WriteNull("lastConfigError"u8);
        }

        if (r.Refused.Count > 0)
        {
            w.WriteStartArray("configRefused"u8);
            foreach (var k in r.Refused)
            {
                w.WriteStartObject();
                w.WriteString("key"u8, k.Key);
                w.WriteString("reason"u8, k.Reason ?? "refused");
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }
        else
        {
            w.WriteNull("configRefused"u8);
        }

        if (r.CertificateExpires is { } expires)
        {
            w.WriteString("certificateExpires"u8, WireFormat.Timestamp(expires));
        }
        else
        {
            w.WriteNull("certificateExpires"u8);
        }

        w.WriteBoolean("clockTrusted"u8, r.ClockTrusted);
        if (r.Restarts is { } restarts)
        {
            // Counted in restarts.json beside the buffer (Pipeline/RestartLedger): runs that ended without stopping.
            w.WriteStartObject("restarts"u8);
            w.WriteNumber("watchdog"u8, restarts.Watchdog);
            w.WriteNumber("unclean"u8, restarts.Unclean);
            if (restarts.Last is { } last)
            {
                w.WriteString("last"u8, last);
            }
            else
            {
                w.WriteNull("last"u8);
            }

            if (restarts.LastAt is { } at)
            {
                w.WriteString("lastAt"u8, WireFormat.Timestamp(at));
            }
            else
            {
                w.WriteNull("lastAt"u8);
            }

            w.WriteEndObject();
        }

        if (r.Profiles is { } profiles)
        {
            // The profile release of the last profiles-update job (docs/models.md); null deletes it after a withdrawal.
            w.WriteStartObject("profiles"u8);
            w.WriteString("release"u8, profiles.Release);
            w.WriteNumber("slots"u8, profiles.Slots);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("profiles"u8);
        }

        if (r.Buffer is { } b)
        {
            w.WriteStartObject("buffer"u8);
            w.WriteNumber("depth"u8, b.Depth);
            if (b.OldestAgeSeconds is { } age)
            {
                w.WriteNumber("oldestAgeSeconds"u8, age);
            }
            else
            {
                w.WriteNull("oldestAgeSeconds"u8);
            }

            w.WriteNumber("dropped"u8, b.DroppedTotal);
            if (b.DiskFull is { } diskFull)
            {
                w.WriteString("diskFull"u8, diskFull);
            }
            else
            {
                w.WriteNull("diskFull"u8);
            }

            w.WriteEndObject();
        }

        w.WriteStartObject("slots"u8);
        foreach (var s in r.Slots)
        {
            w.WriteStartObject(s.Slot);
            w.WriteString("sku"u8, s.Sku);
            if (s.Count is { } count)
            {
                w.WriteNumber("count"u8, count);
            }
            else
            {
                w.WriteNull("count"u8);
            }

            w.WriteString("status"u8, s.Status.ToString().ToLowerInvariant());
            if (s.ExpectedEmpty is { } empty)
            {
                w.WriteString("expectedEmpty"u8, WireFormat.Timestamp(empty));
            }
            else
            {
                w.WriteNull("expectedEmpty"u8);
            }

            w.WriteString("sensor"u8, s.SensorFault ?? "ok");
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }
}

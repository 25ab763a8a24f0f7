using System.Globalization;
using System.Text.Json;

namespace ShelfAgent.Pipeline;

/// <summary>
/// <c>restarts.json</c>: <c>{"run":"running","watchdog":2,"unclean":1,"last":"watchdog","lastAt":"2026-12-07T12:00:05.000Z"}</c>.
/// Written by hand (Utf8JsonWriter), as the rest of the agent's files, so the Native AOT build needs no reflection.
/// </summary>
public static class RestartCountsCodec
{
    /// <summary>The file's bytes.</summary>
    public static byte[] Encode(RestartCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("run"u8, Name(counts.Run));
            w.WriteNumber("watchdog"u8, counts.Watchdog);
            w.WriteNumber("unclean"u8, counts.Unclean);
            WriteLast(w, counts);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteLast(Utf8JsonWriter w, RestartCounts counts)
    {
        if (counts.Last is { } last)
        {
            w.WriteString("last"u8, CauseName(last));
        }
        else
        {
            w.WriteNull("last"u8);
        }

        if (counts.LastAt is { } at)
        {
            w.WriteString("lastAt"u8, at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteNull("lastAt"u8);
        }
    }

    /// <summary>The counts, or null (with why) when the file is not what this writes.</summary>
    public static RestartCounts? Decode(ReadOnlySpan<byte> bytes, out string? problem)
    {
        try
        {
            var reader = new Utf8JsonReader(bytes);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            var run = root.GetProperty("run").GetString() switch
            {
                "running" => RunState.Running,
                "stalled" => RunState.Stalled,
                "stopped" => RunState.Stopped,
                var other => throw new FormatException($"run is \"{other}\""),
            };
            RestartCause? last = root.TryGetProperty("last", out var l) && l.ValueKind == JsonValueKind.String
                ? l.GetString() == "watchdog" ? RestartCause.Watchdog : RestartCause.Unclean
                : null;
            DateTimeOffset? lastAt = root.TryGetProperty("lastAt", out var a) && a.ValueKind == JsonValueKind.String
                ? DateTimeOffset.Parse(a.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                : null;
            problem = null;
            return new RestartCounts(run, root.GetProperty("watchdog").GetInt64(), root.GetProperty("unclean").GetInt64(), last, lastAt);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            problem = e.Message;
            return null;
        }
    }

    private static string Name(RunState run) => run switch
    {
        RunState.Running => "running",
        RunState.Stalled => "stalled",
        _ => "stopped",
    };

    /// <summary><c>watchdog</c> or <c>unclean</c>, as in the file and the shadow.</summary>
    public static string CauseName(RestartCause cause) => cause == RestartCause.Watchdog ? "watchdog" : "unclean";
}

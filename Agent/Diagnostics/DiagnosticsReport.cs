using System.Globalization;
using System.Text.Json;
using ShelfAgent.IotCore.Jobs;

namespace ShelfAgent.Diagnostics;

/// <summary>
/// What report-diagnostics sends (pure): the full report for the pre-signed URL — the same fields as
/// <c>doctor --json</c> plus the device and the recent log lines — and a summary that fits statusDetails (exit code,
/// failed checks, then each failing and warning finding, then the newest log lines, as room allows).
/// </summary>
public static class DiagnosticsReport
{
    /// <summary>The full report as JSON: <c>{"thingName","agentVersion","time","exitCode","findings":[{check,status,detail}],"log":[…]}</c>.</summary>
    public static byte[] Encode(string thingName, DateTimeOffset time, IReadOnlyList<CheckResult> findings, IReadOnlyList<string> log)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(log);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("thingName"u8, thingName);
            w.WriteString("agentVersion"u8, Contract.AgentVersion.Current);
            w.WriteString("time"u8, time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            w.WriteNumber("exitCode"u8, DoctorExitCode.For(findings));
            w.WriteStartArray("findings"u8);
            foreach (var f in findings)
            {
                w.WriteStartObject();
                w.WriteString("check"u8, f.Check);
                w.WriteString("status"u8, f.Status.ToString().ToLowerInvariant());
                w.WriteString("detail"u8, f.Detail);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("log"u8);
            foreach (var line in log)
            {
                w.WriteStringValue(line);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>
    /// statusDetails pairs, most important first (<see cref="StatusDetails.Limit"/> cuts the rest): <c>exitCode</c>,
    /// <c>failed</c> (check names), <c>upload</c> when there was one, each failing then warning finding by check name,
    /// then <c>log1</c>… the newest log lines first.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Summary(IReadOnlyList<CheckResult> findings, IReadOnlyList<string> log, string? upload)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(log);
        var failed = findings.Where(f => f.Status == CheckStatus.Fail).ToList();
        var warned = findings.Where(f => f.Status == CheckStatus.Warn).ToList();
        var pairs = new List<KeyValuePair<string, string>>
        {
            new("exitCode", DoctorExitCode.For(findings).ToString(CultureInfo.InvariantCulture)),
            new("failed", failed.Count == 0 ? "none" : string.Join(", ", failed.Select(f => f.Check).Distinct())),
        };
        if (upload is not null)
        {
            pairs.Add(new("upload", upload));
        }

        pairs.AddRange(failed.Select(f => new KeyValuePair<string, string>(f.Check.Replace(' ', '-'), "FAIL " + f.Detail)));
        pairs.AddRange(warned.Select(f => new KeyValuePair<string, string>(f.Check.Replace(' ', '-'), "warn " + f.Detail)));
        pairs.AddRange(log.Reverse().Select((line, i) => new KeyValuePair<string, string>($"log{i + 1}", line)));
        return pairs;
    }
}

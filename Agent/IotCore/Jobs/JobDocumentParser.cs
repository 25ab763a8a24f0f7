using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ShelfAgent.Security;

namespace ShelfAgent.IotCore.Jobs;

/// <summary>
/// Reads a job document (docs/jobs.md; the schemas are docs/job-*.schema.json). Anything the agent cannot run — no
/// <c>operation</c>, an unknown one, a missing or malformed field, an unknown field — is refused with a reason that says
/// what to fix, and the job is REJECTED. Pure.
/// </summary>
public static partial class JobDocumentParser
{
    /// <summary>The operations this agent runs.</summary>
    public static IReadOnlyList<string> Operations { get; } =
        [ConfigUpdateJob.Name, RotateCertificateJob.Name, ReportDiagnosticsJob.Name, AgentUpdateJob.Name, UploadReadingsJob.Name, ProfilesUpdateJob.Name];

    /// <summary>Parses <paramref name="json"/> (the <c>jobDocument</c> of an execution; null when the service sent none).</summary>
    public static JobDocumentParse Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return JobDocumentParse.Refused("the job has no document");
        }

        JsonObject root;
        try
        {
            if (JsonNode.Parse(json) is not JsonObject o)
            {
                return JobDocumentParse.Refused("the job document is not a JSON object");
            }

            root = o;
        }
        catch (JsonException e)
        {
            return JobDocumentParse.Refused($"the job document is not JSON: {e.Message}");
        }

        if (root["operation"] is not JsonValue op || op.GetValueKind() != JsonValueKind.String)
        {
            return JobDocumentParse.Refused($"the job document has no \"operation\" string; this agent runs {string.Join(", ", Operations)}");
        }

        var operation = op.GetValue<string>();
        return operation switch
        {
            ConfigUpdateJob.Name => ConfigUpdate(root),
            RotateCertificateJob.Name => RotateCertificate(root),
            ReportDiagnosticsJob.Name => ReportDiagnostics(root),
            AgentUpdateJob.Name => AgentUpdate(root),
            UploadReadingsJob.Name => UploadReadings(root),
            ProfilesUpdateJob.Name => ProfilesUpdate(root),
            _ => JobDocumentParse.Refused(
                $"unknown operation '{operation}'; this agent ({Contract.AgentVersion.Current}) runs {string.Join(", ", Operations)}"),
        };
    }

    private static JobDocumentParse ConfigUpdate(JsonObject root)
    {
        if (Unknown(root, "changes") is { } unknown)
        {
            return JobDocumentParse.Refused(unknown);
        }

        if (root["changes"] is not JsonObject changes || changes.Count == 0)
        {
            return JobDocumentParse.Refused("config-update needs \"changes\": a non-empty object of agent.json keys, e.g. {\"Sampling\":{\"IntervalMs\":500}}");
        }

        // Detached from the document so the applier owns it.
        return JobDocumentParse.Of(new ConfigUpdateJob((JsonObject)changes.DeepClone()));
    }

    private static JobDocumentParse RotateCertificate(JsonObject root)
    {
        if (Unknown(root, "templateName", "parameters", "keyType") is { } unknown)
        {
            return JobDocumentParse.Refused(unknown);
        }

        var template = root["templateName"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : null;
        if (template is null || !TemplateName().IsMatch(template))
        {
            // Fleet provisioning: template names are [0-9A-Za-z_-]{1,36}.
            return JobDocumentParse.Refused("rotate-certificate needs \"templateName\": the rotation provisioning template, [0-9A-Za-z_-]{1,36}");
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root["parameters"] is { } p)
        {
            if (p is not JsonObject map)
            {
                return JobDocumentParse.Refused("rotate-certificate \"parameters\" must be an object of strings");
            }

            foreach (var (name, value) in map)
            {
                if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
                {
                    return JobDocumentParse.Refused($"rotate-certificate parameter '{name}' must be a string");
                }

                parameters[name] = v.GetValue<string>();
            }
        }

        var keyType = root["keyType"] is JsonValue k && k.GetValueKind() == JsonValueKind.String
            ? k.GetValue<string>()
            : root["keyType"] is null ? "ec-p256" : null;
        KeyKind? key = keyType switch
        {
            "ec-p256" => KeyKind.EcP256,
            "rsa-2048" => KeyKind.Rsa2048,
            _ => null,
        };
        return key is { } kind
            ? JobDocumentParse.Of(new RotateCertificateJob(template, parameters, kind))
            : JobDocumentParse.Refused("rotate-certificate \"keyType\" must be \"ec-p256\" (default) or \"rsa-2048\"");
    }

    private static JobDocumentParse ReportDiagnostics(JsonObject root)
    {
        if (Unknown(root, "uploadUrl", "logLines") is { } unknown)
        {
            return JobDocumentParse.Refused(unknown);
        }

        Uri? upload = null;
        if (root["uploadUrl"] is { } u)
        {
            var text = u is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
            // Only HTTPS: the report names the device, its broker and its errors.
            if (text is null || !Uri.TryCreate(text, UriKind.Absolute, out upload) || upload.Scheme != Uri.UriSchemeHttps)
            {
                return JobDocumentParse.Refused("report-diagnostics \"uploadUrl\" must be an https:// URL (a pre-signed PUT URL)");
            }
        }

        var lines = ReportDiagnosticsJob.DefaultLogLines;
        if (root["logLines"] is { } l)
        {
            if (l is not JsonValue n
                || n.GetValueKind() != JsonValueKind.Number
                || !n.TryGetValue<int>(out lines)
                || lines is < 0 or > ReportDiagnosticsJob.MaxLogLines)
            {
                return JobDocumentParse.Refused($"report-diagnostics \"logLines\" must be a whole number 0–{ReportDiagnosticsJob.MaxLogLines}");
            }
        }

        return JobDocumentParse.Of(new ReportDiagnosticsJob(upload, lines));
    }

    private static JobDocumentParse UploadReadings(JsonObject root)
    {
        if (Unknown(root, "uploadUrl", "from", "to", "slots") is { } unknown)
        {
            return JobDocumentParse.Refused(unknown);
        }

        var text = root["uploadUrl"] is JsonValue u && u.GetValueKind() == JsonValueKind.String ? u.GetValue<string>() : null;
        if (text is null || !Uri.TryCreate(text, UriKind.Absolute, out var upload) || upload.Scheme != Uri.UriSchemeHttps)
        {
            return JobDocumentParse.Refused("upload-readings needs \"uploadUrl\": an https:// URL (a pre-signed PUT URL)");
        }

        if (Instant(root, "from") is not { } from || Instant(root, "to") is not { } to)
        {
            return JobDocumentParse.Refused("upload-readings needs \"from\" and \"to\": UTC times such as \"2026-12-07T08:00:00Z\"");
        }

        if (to <= from || to - from > UploadReadingsJob.MaxWindow)
        {
            return JobDocumentParse.Refused($"upload-readings \"to\" must be after \"from\", at most {UploadReadingsJob.MaxWindow.TotalDays:0} days later");
        }

        var slots = new List<string>();
        if (root["slots"] is { } s)
        {
            if (s is not JsonArray list)
            {
                return JobDocumentParse.Refused("upload-readings \"slots\" must be an array of slot ids");
            }

            foreach (var item in list)
            {
                if (item is not JsonValue v || v.GetValueKind() != JsonValueKind.String || string.IsNullOrEmpty(v.GetValue<string>()))
                {
                    return JobDocumentParse.Refused("upload-readings \"slots\" must be an array of slot ids");
                }

                slots.Add(v.GetValue<string>());
            }
        }

        return JobDocumentParse.Of(new UploadReadingsJob(upload, from, to, slots));
    }

    // An ISO-8601 time with an explicit offset (Z or ±hh:mm): a time without one would depend on the device's zone.
    private static DateTimeOffset? Instant(JsonObject root, string name) =>
        root[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String
        && DateTimeOffset.TryParse(v.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
        && (v.GetValue<string>().EndsWith('Z') || v.GetValue<string>().Contains('+', StringComparison.Ordinal) || v.GetValue<string>().LastIndexOf('-') > 9)
            ? at
            : null;

    private static JobDocumentParse AgentUpdate(JsonObject root)
    {
        if (Unknown(root, "version", "url", "size", "sha256", "signature", "keyId", "allowDowngrade") is { } unknown)
        {
            return JobDocumentParse.Refused(unknown);
        }

        var version = Text(root, "version");
        if (version is null || !Contract.ReleaseVersion.IsValid(version))
        {
            return JobDocumentParse.Refused("agent-update needs \"version\": the release's version, e.g. \"1.4.0\" (digits, letters, '.', '-', '+')");
        }

        // Only HTTPS: the archive is code the device will run (the signature is checked too).
        if (Artifact(root, AgentUpdateJob.Name, "archive", "Update:TrustedKeys", out var archive) is { } refused)
        {
            return JobDocumentParse.Refused(refused);
        }

        var downgrade = false;
        if (root["allowDowngrade"] is { } d)
        {
            if (d is not JsonValue b || b.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            {
                return JobDocumentParse.Refused("agent-update \"allowDowngrade\" must be true or false");
            }

            downgrade = b.GetValue<bool>();
        }

        return JobDocumentParse.Of(new AgentUpdateJob(version, archive, downgrade));
    }

    private static JobDocumentParse ProfilesUpdate(JsonObject root)
    {
        if (Unknown(root, "release", "url", "size", "sha256", "signature", "keyId") is { } unknown)
        {
            return JobDocumentParse.Refused(unknown);
        }

        var release = Text(root, "release");
        if (!Contract.ProfileRelease.IsValidId(release))
        {
            return JobDocumentParse.Refused(
                $"profiles-update needs \"release\": the release id, 1–{Contract.ProfileRelease.MaxIdLength} of A-Z a-z 0-9 . _ - (e.g. \"r-20261207-1\")");
        }

        return Artifact(root, ProfilesUpdateJob.Name, "artifact", "Profiles:TrustedKeys", out var artifact) is { } refused
            ? JobDocumentParse.Refused(refused)
            : JobDocumentParse.Of(new ProfilesUpdateJob(release!, artifact));
    }

    /// <summary>
    /// The fields every job that fetches a signed file shares (agent-update, profiles-update): url, size, sha256, signature,
    /// keyId. Null when they make an <see cref="Artifacts.ArtifactSpec"/>, else the refusal.
    /// </summary>
    private static string? Artifact(JsonObject root, string operation, string noun, string keys, out Artifacts.ArtifactSpec spec)
    {
        spec = null!;
        if (Text(root, "url") is not { } text || !Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
        {
            return $"{operation} needs \"url\": the {noun}'s https:// URL (a pre-signed S3 GET URL)";
        }

        if (root["size"] is not JsonValue s || s.GetValueKind() != JsonValueKind.Number || !s.TryGetValue<long>(out var size) || size <= 0)
        {
            return $"{operation} needs \"size\": the {noun}'s size in bytes, a positive whole number";
        }

        if (Text(root, "sha256") is not { Length: 64 } sha || !sha.All(char.IsAsciiHexDigit))
        {
            return $"{operation} needs \"sha256\": the {noun}'s SHA-256, 64 hex digits";
        }

        if (Text(root, "signature") is not { Length: > 0 } signature)
        {
            return $"{operation} needs \"signature\": base64 of the signature over the {noun} with a key of {keys} (docs/jobs.md)";
        }

        var keyId = Text(root, "keyId");
        if (root["keyId"] is not null && keyId is null)
        {
            return $"{operation} \"keyId\" must be a string: the signing key's id in {keys} (the first 16 hex digits of the SHA-256 of its DER public key)";
        }

        spec = new Artifacts.ArtifactSpec(url, size, sha.ToLowerInvariant(), signature, keyId);
        return null;
    }

    private static string? Text(JsonObject root, string name) =>
        root[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>An unknown field is refused rather than ignored: a typo must not make a job "succeed" doing less.</summary>
    private static string? Unknown(JsonObject root, params string[] allowed)
    {
        var extra = root.Select(p => p.Key).Where(k => k != "operation" && !allowed.Contains(k, StringComparer.Ordinal)).ToList();
        return extra.Count == 0
            ? null
            : $"{root["operation"]}: unknown field{(extra.Count > 1 ? "s" : "")} {string.Join(", ", extra.Select(e => $"'{e}'"))} " +
              $"(allowed: {string.Join(", ", allowed)})";
    }

    [GeneratedRegex("^[0-9A-Za-z_-]{1,36}$")]
    private static partial Regex TemplateName();
}

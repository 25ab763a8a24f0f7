using System.Collections;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using ShelfAgent.Contract;
using ShelfAgent.Transport;
using ShelfAgent.Validation;

namespace ShelfAgent.Config;

/// <summary>
/// The one place that reads agent.json and the environment. Environment variables prefixed
/// <c>SHELFAGENT_</c> override the file, <c>__</c> separating sections (<c>SHELFAGENT_Mqtt__Port=443</c>).
/// Every problem is collected and reported together in a <see cref="ConfigException"/>.
/// </summary>
public static partial class AgentConfigLoader
{
    /// <summary>Where the systemd unit and <c>run</c> look by default.</summary>
    public const string DefaultPath = "/etc/shelf-agent/agent.json";

    /// <summary>Prefix of overriding environment variables.</summary>
    public const string EnvironmentPrefix = "SHELFAGENT_";

    /// <summary>Reads and validates the file. Keys nobody reads (typos) are returned in <paramref name="warnings"/>.</summary>
    /// <exception cref="ConfigException">Anything is wrong; the message lists every problem.</exception>
    /// <param name="path">agent.json.</param>
    /// <param name="warnings">Keys nobody reads, one line each naming the file.</param>
    /// <param name="environment">Overriding variables; the process's by default.</param>
    /// <param name="use">What the command uses: only that is checked (<see cref="ConfigUse.Run"/> checks everything the service needs).</param>
    public static AgentOptions Load(string path, out IReadOnlyList<string> warnings, IDictionary? environment = null, ConfigUse use = ConfigUse.Run)
    {
        var layered = LoadLayered(path, null, environment, use);
        if (layered.Problems.Count > 0)
        {
            throw new ConfigException(layered.Options.SourceFile, layered.Problems);
        }

        warnings = layered.Warnings;
        return layered.Options;
    }

    /// <summary>
    /// Reads agent.json with <paramref name="overlay"/> (flat keys as the configuration names them, <c>Slots:0:Sku</c>)
    /// laid over the file and under the environment, and returns every problem instead of throwing: the runtime
    /// applier judges remote changes with exactly the rules agent.json gets (issue 14, "validated with the same rules").
    /// </summary>
    /// <exception cref="ConfigException">The file itself is missing or not JSON.</exception>
    public static LayeredConfig LoadLayered(
        string path, IReadOnlyDictionary<string, string>? overlay, IDictionary? environment = null, ConfigUse use = ConfigUse.Run)
    {
        var fullPath = Path.GetFullPath(path);
        var (root, envKeys) = Build(fullPath, environment ?? Environment.GetEnvironmentVariables(), overlay);
        var reader = new ConfigReader(root, envKeys);
        var options = Read(reader, use);
        options.SourceFile = fullPath;
        options.EffectiveHash = ConfigHash.Of(root);
        var warnings = reader.UnreadKeys()
            .Select(k => reader.Closest(k) is { } known
                ? $"{fullPath}: {reader.NameOf(k)}: unknown key, ignored (a typo of {known}?)"
                : $"{fullPath}: {reader.NameOf(k)}: unknown key, ignored (a typo?)")
            .ToList();
        return new LayeredConfig(options, reader.Problems, warnings, envKeys);
    }

    /// <summary>Reads and validates the file, ignoring unknown-key warnings.</summary>
    public static AgentOptions Load(string path) => Load(path, out _);

    /// <summary>
    /// The configuration keys that <paramref name="environment"/> sets (key → variable name), e.g. <c>Mqtt:Port</c> →
    /// <c>SHELFAGENT_Mqtt__Port</c>.
    /// </summary>
    public static Dictionary<string, string> EnvironmentKeys(IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var keys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is string name && name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            {
                keys[name[EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal)] = name;
            }
        }

        return keys;
    }

    private static (IConfigurationRoot Root, IReadOnlyDictionary<string, string> EnvKeys) Build(
        string path, IDictionary environment, IReadOnlyDictionary<string, string>? overlay)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException(path, [new ConfigProblem("(file)", "not found; pass --config PATH or create it (see docs/configuration.md)")]);
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(path, [new ConfigProblem("(file)", $"cannot be read: {e.Message}")]);
        }

        var envKeys = EnvironmentKeys(environment);
        var envValues = envKeys.ToDictionary(p => p.Key, p => environment[p.Value] as string, StringComparer.OrdinalIgnoreCase);

        try
        {
            // File < accepted remote changes (desired state, config-update jobs) < environment: a variable set on the
            // device by a technician stays the last word, and the applier refuses a change it would shadow.
            var builder = new ConfigurationBuilder().AddJsonStream(new MemoryStream(bytes));
            if (overlay is { Count: > 0 })
            {
                builder.AddInMemoryCollection(overlay.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)));
            }

            var root = builder.AddInMemoryCollection(envValues).Build();
            return (root, envKeys);
        }
        catch (FormatException e)
        {
            throw new ConfigException(path, [new ConfigProblem("(file)", $"is not valid JSON: {e.Message}")]);
        }
        catch (System.Text.Json.JsonException e)
        {
            // The reader counts lines from 0; people count from 1.
            var line = e.LineNumber is { } n ? $" (line {n + 1})" : "";
            throw new ConfigException(path, [new ConfigProblem("(file)", $"is not valid JSON{line}: {e.Message.Split(" LineNumber:")[0]}")]);
        }
        catch (InvalidDataException e)
        {
            throw new ConfigException(path, [new ConfigProblem("(file)", $"is not valid JSON: {e.InnerException?.Message ?? e.Message}")]);
        }
    }

    private static AgentOptions Read(ConfigReader r, ConfigUse use)
    {
        var o = new AgentOptions();
        o.Device.ThingName = r.String("Device:ThingName", required: !use.HasFlag(ConfigUse.Endpoint)) ?? "";
        if (o.Device.ThingName.Length > 0 && !ThingNamePattern().IsMatch(o.Device.ThingName))
        {
            r.Problem("Device:ThingName", "must be 1–128 characters of letters, digits, ':', '_' or '-' (AWS IoT thing name rules)");
        }

        o.Device.StoreId = r.String("Device:StoreId", required: true) ?? "";
        if (o.Device.StoreId.Length > 0 && !StoreIdPattern().IsMatch(o.Device.StoreId))
        {
            r.Problem("Device:StoreId", "must be 1–64 characters of letters, digits, '_' or '-' (it becomes a topic segment)");
        }

        if (use.HasFlag(ConfigUse.Broker) || use.HasFlag(ConfigUse.Endpoint))
        {
            ReadMqtt(r, o.Mqtt, identityRequired: !use.HasFlag(ConfigUse.Endpoint));
        }
        else
        {
            // Not used by this command (e.g. wiring before the certificate is installed): not checked, not "unknown".
            r.Consumed("Mqtt");
        }

        // Types here; ranges in the outbox's own validator, the one place its rules live.
        o.Buffer.Path = r.String("Buffer:Path", @default: o.Buffer.Path)!;
        o.Buffer.MaxBytes = r.Long("Buffer:MaxBytes", o.Buffer.MaxBytes);
        o.Buffer.CommitWindowMs = r.Int("Buffer:CommitWindowMs", o.Buffer.CommitWindowMs);
        o.Buffer.LiveWindowSeconds = r.Int("Buffer:LiveWindowSeconds", o.Buffer.LiveWindowSeconds);
        var sync = r.String("Buffer:Synchronous", @default: o.Buffer.Synchronous.ToString())!;
        if (Enum.TryParse<Outbox.OutboxSynchronous>(sync, ignoreCase: true, out var parsedSync) && Enum.IsDefined(parsedSync))
        {
            o.Buffer.Synchronous = parsedSync;
        }
        else
        {
            r.Problem("Buffer:Synchronous", $"must be Full or Normal (was \"{sync}\")");
        }

        var bufferProblems = o.Buffer.Validate().ToList();
        foreach (var problem in bufferProblems)
        {
            r.Problem(problem.Key, problem.Message);
        }

        if (use.HasFlag(ConfigUse.BufferFolder) && bufferProblems.Count == 0 && FolderAccess.WhyNotWritable(o.Buffer.Path) is { } why)
        {
            // Under the shipped unit (ProtectSystem=strict) every folder but its StateDirectory and LogsDirectory is a
            // read-only mount, so "read-only" there most often means "outside /var/lib/shelf-agent".
            r.Problem("Buffer:Path", why.ReadOnlyMount is { } mount
                ? $"{why}; the service (user shelf-agent) creates {Path.GetFileName(o.Buffer.Path)} and its -wal, -shm and .seq files there: " +
                  "point Buffer:Path to a writable place (default folder /var/lib/shelf-agent, the unit's StateDirectory, " +
                  $"writable under its ProtectSystem=strict) or remount {mount} read-write"
                : $"{why}; the service (user shelf-agent) creates {Path.GetFileName(o.Buffer.Path)} and its -wal, -shm and .seq files there " +
                  "(default folder /var/lib/shelf-agent, the unit's StateDirectory)");
        }
        o.Publish.IntervalMs = r.Int("Publish:IntervalMs", o.Publish.IntervalMs, 10, 3_600_000);
        o.Publish.MaxPayloadBytes = r.Int("Publish:MaxPayloadBytes", o.Publish.MaxPayloadBytes, 1024, 128 * 1024);
        o.Publish.BacklogSchema = Schema(r, "Publish:BacklogSchema", o.Publish.BacklogSchema);
        o.Publish.LiveSchema = Schema(r, "Publish:LiveSchema", o.Publish.LiveSchema);
        // Read as given: an empty string is a value here (telemetry on the plain topic), not a missing key.
        r.MarkRead("Publish:BasicIngestRule");
        o.Publish.BasicIngestRule = r.Root["Publish:BasicIngestRule"]?.Trim() ?? o.Publish.BasicIngestRule;
        foreach (var (key, message) in o.Publish.Validate())
        {
            r.Problem(key, message);
        }
        var published = r.String("Publish:Readings", @default: o.Publish.Readings == Stock.PublishedReadings.All ? "all" : "summaries")!;
        switch (published)
        {
            case "summaries":
                o.Publish.Readings = Stock.PublishedReadings.Summaries;
                break;
            case "all":
                o.Publish.Readings = Stock.PublishedReadings.All;
                break;
            default:
                r.Problem("Publish:Readings", $"must be summaries or all (was \"{published}\")");
                break;
        }

        o.Publish.SpreadSummaries = r.Bool("Publish:SpreadSummaries", o.Publish.SpreadSummaries);

        o.Buffer.RawRetentionDays = r.Int("Buffer:RawRetentionDays", o.Buffer.RawRetentionDays);
        o.Buffer.RawDeadbandGrams = r.Double("Buffer:RawDeadbandGrams", o.Buffer.RawDeadbandGrams, 0, 1000);
        o.Sampling.IntervalMs = r.Int("Sampling:IntervalMs", o.Sampling.IntervalMs);
        o.Logging.Level = r.String("Logging:Level", @default: o.Logging.Level)!;
        if (!Enum.TryParse<Serilog.Events.LogEventLevel>(o.Logging.Level, ignoreCase: true, out _))
        {
            r.Problem("Logging:Level", $"must be Verbose, Debug, Information, Warning or Error (was \"{o.Logging.Level}\")");
        }

        o.Logging.File = r.String("Logging:File");
        var format = r.String("Logging:Format");
        if (format is not null)
        {
            if (LogFileFormats.TryParse(format) is { } parsed)
            {
                o.Logging.Format = parsed;
            }
            else
            {
                r.Problem("Logging:Format", $"must be Text or CompactJson (was \"{format}\")");
            }
        }

        o.Calibration.Path = r.String("Calibration:Path", @default: o.Calibration.Path)!;
        if (use.HasFlag(ConfigUse.CalibrationFile))
        {
            try
            {
                new Sensors.CalibrationStore(o.Calibration.Path).Load();
            }
            catch (IOException e)
            {
                r.Problem("Calibration:Path", e.Message);
            }
        }

        if (use.HasFlag(ConfigUse.Slots))
        {
            o.Slots = SlotsReader.Read(r);
        }
        else
        {
            r.Consumed("Slots");
        }

        o.Stock = StockOptionsReader.Read(r);
        if (use.HasFlag(ConfigUse.Slots))
        {
            DemandProfilesReader.Read(r, o);
        }
        else
        {
            r.Consumed(DemandProfilesReader.Section);
        }
        o.Shadow.ReportIntervalSeconds = r.Int("Shadow:ReportIntervalSeconds", o.Shadow.ReportIntervalSeconds);
        r.MarkRead("Shadow:Enabled");
        o.Shadow.Enabled = r.Root["Shadow:Enabled"] is null or "" ? null : r.Bool("Shadow:Enabled", false);
        foreach (var (key, message) in o.Shadow.Validate())
        {
            r.Problem(key, message);
        }

        ReadUpdate(r, o.Update);
        o.Profiles.TrustedKeys = ReadKeys(r, ProfilesOptions.TrustedKeysKey);
        foreach (var (key, message) in o.Profiles.Validate())
        {
            r.Problem(key, message);
        }

        // The sustainable rate depends on the slots' sensors: judged only once they are known to be right.
        var slotsKnown = use.HasFlag(ConfigUse.Sampling)
            && !r.Problems.Any(p => p.Key.StartsWith("Slots", StringComparison.Ordinal) || p.Key.StartsWith("Buffer:", StringComparison.Ordinal));
        foreach (var problem in o.Sampling.Validate(o.Buffer, slotsKnown ? o.Slots : null))
        {
            r.Problem(problem.Key, problem.Message);
        }

        return o;
    }

    private static TelemetrySchema Schema(ConfigReader r, string key, TelemetrySchema @default)
    {
        var text = r.String(key, @default: TelemetrySchemas.Text(@default))!;
        if (TelemetrySchemas.TryParse(text, out var schema))
        {
            return schema;
        }

        r.Problem(key, $"must be {TelemetrySchemas.Text(TelemetrySchema.V1)} or {TelemetrySchemas.Text(TelemetrySchema.V2)} (was \"{text}\")");
        return @default;
    }

    private static void ReadUpdate(ConfigReader r, UpdateOptions u)
    {
        u.TrustedKeys = ReadKeys(r, "Update:TrustedKeys");
        u.HealthWindowSeconds = r.Int("Update:HealthWindowSeconds", u.HealthWindowSeconds);
        u.MaxDownloadBytes = r.Long("Update:MaxDownloadBytes", u.MaxDownloadBytes);
        u.InstallPath = r.String("Update:InstallPath", @default: u.InstallPath)!;
        u.DownloadPath = r.String("Update:DownloadPath");
        foreach (var (key, message) in u.Validate())
        {
            r.Problem(key, message);
        }
    }

    /// <summary>A key option (<c>Update:TrustedKeys</c>, <c>Profiles:TrustedKeys</c>): a list, or one key as a plain string.</summary>
    private static List<string> ReadKeys(ConfigReader r, string option)
    {
        var keys = r.Root.GetSection(option);
        if (keys.Value is { Length: > 0 } single)
        {
            // One key given as a plain string (e.g. SHELFAGENT_Update__TrustedKeys): a list of one.
            r.MarkRead(option);
            return [single];
        }

        r.Consumed(option);
        return [.. keys.GetChildren()
            .OrderBy(c => int.TryParse(c.Key, System.Globalization.CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue)
            .Select(c => c.Value ?? "")];
    }

    private static void ReadMqtt(ConfigReader r, MqttOptions m, bool identityRequired)
    {
        m.Host = r.String("Mqtt:Host", required: true) ?? "";
        m.Port = r.Int("Mqtt:Port", m.Port, 1, 65535);
        m.CaFile = r.String("Mqtt:CaFile");
        m.CertFile = r.String("Mqtt:CertFile", required: identityRequired) ?? "";
        m.KeyFile = r.String("Mqtt:KeyFile", required: identityRequired) ?? "";
        m.ProtocolVersion = r.String("Mqtt:ProtocolVersion", @default: m.ProtocolVersion)!;
        m.SessionExpirySeconds = r.Long("Mqtt:SessionExpirySeconds", m.SessionExpirySeconds, 0, uint.MaxValue);
        // The range MQTT allows; the transport's validator below adds AWS IoT Core's 30–1200 on AWS endpoints.
        m.KeepAliveSeconds = r.Int("Mqtt:KeepAliveSeconds", m.KeepAliveSeconds, 0, 65535);
        m.Alpn = r.String("Mqtt:Alpn");
        m.MaxInFlight = r.Int("Mqtt:MaxInFlight", m.MaxInFlight, 1, 65535);
        m.MaxPublishesPerSecond = r.Double("Mqtt:MaxPublishesPerSecond", m.MaxPublishesPerSecond, 0, 1_000_000);
        m.MaxBytesPerSecond = r.Long("Mqtt:MaxBytesPerSecond", m.MaxBytesPerSecond, 0, long.MaxValue);
        m.RateLimitGuardMs = r.Int("Mqtt:RateLimitGuardMs", m.RateLimitGuardMs, 0, 1000);
        m.MaxIncomingPacketBytes = r.Int("Mqtt:MaxIncomingPacketBytes", m.MaxIncomingPacketBytes, 1024, 256 * 1024 * 1024);
        // The transport's own rules (one place: MqttTransportOptions.Validate), for keys not already reported above.
        var reported = r.Problems.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var problem in Transport.MqttTransportOptions.FromConfig(m, clientId: "").Validate())
        {
            if (!reported.Contains(problem.Key) && problem.Key is not ("Mqtt:CaFile" or "Mqtt:CertFile" or "Mqtt:KeyFile" or "Mqtt:ClientId"))
            {
                r.Problem(problem.Key, problem.Message);
            }
        }

        if (m.CaFile is null && !Transport.AwsIotLimits.IsAwsIotEndpoint(m.Host))
        {
            r.Problem("Mqtt:CaFile", "is required unless Mqtt:Host is an AWS IoT endpoint (*.iot.<region>.amazonaws.com)");
        }

        var caOk = m.CaFile is null || CheckReadable(r, "Mqtt:CaFile", m.CaFile);
        // Without identityRequired (provision) the identity files are the command's output: not opened here.
        var certOk = identityRequired && m.CertFile.Length > 0 && CheckReadable(r, "Mqtt:CertFile", m.CertFile);
        var keyOk = identityRequired && m.KeyFile.Length > 0 && CheckReadable(r, "Mqtt:KeyFile", m.KeyFile);
        if (caOk && m.CaFile is not null)
        {
            try
            {
                var cas = new X509Certificate2Collection();
                cas.ImportFromPemFile(m.CaFile);
                if (cas.Count == 0)
                {
                    r.Problem("Mqtt:CaFile", $"{m.CaFile} holds no PEM certificate");
                }
            }
            catch (CryptographicException e)
            {
                r.Problem("Mqtt:CaFile", $"{m.CaFile} is not a PEM certificate: {e.Message}");
            }
        }

        if (certOk && keyOk)
        {
            try
            {
                using var pair = X509Certificate2.CreateFromPemFile(m.CertFile, m.KeyFile);
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                r.Problem(
                    "Mqtt:KeyFile",
                    $"{m.KeyFile} does not hold a private key (PKCS#1, SEC1 or PKCS#8 PEM) matching the certificate in {m.CertFile}: {e.Message}");
            }
        }
    }

    private static bool CheckReadable(ConfigReader r, string key, string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return true;
        }
        catch (FileNotFoundException)
        {
            r.Problem(key, $"file not found: {path}");
        }
        catch (DirectoryNotFoundException)
        {
            r.Problem(key, $"file not found: {path}");
        }
        catch (UnauthorizedAccessException)
        {
            r.Problem(key, $"permission denied reading {path} (the service runs as user shelf-agent; see certs/README.md)");
        }
        catch (IOException e)
        {
            r.Problem(key, $"cannot read {path}: {e.Message}");
        }

        return false;
    }

    [GeneratedRegex("^[a-zA-Z0-9:_-]{1,128}$")]
    private static partial Regex ThingNamePattern();

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex StoreIdPattern();
}

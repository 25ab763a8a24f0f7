using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ShelfAgent.LocalIot.Access;
using ShelfAgent.LocalIot.Jobs;
using ShelfAgent.LocalIot.Registry;
using ShelfAgent.LocalIot.Shadow;

namespace ShelfAgent.LocalIot.State;

/// <summary>
/// What a core keeps in its state folder across restarts: <c>registry.json</c> (things, certificates with status and
/// attachment, the identities the core issued itself), <c>shadows.json</c> and <c>jobs.json</c>. Each file is written
/// whole (<see cref="StateFile"/>) and only when its part changed since the last write. While a core runs it holds
/// <c>core.lock</c> (one core per folder) and has published <c>endpoint.json</c>. Not thread-safe: the core calls it
/// under its own lock.
/// </summary>
internal sealed class CoreStateFiles(string directory) : IDisposable
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private FileStream? _lock;
    private bool _published;
    private long _registryWritten = -1;
    private long _shadowsWritten = -1;
    private long _jobsWritten = -1;

    private string RegistryFile => Path.Combine(directory, "registry.json");

    private string ShadowsFile => Path.Combine(directory, "shadows.json");

    private string JobsFile => Path.Combine(directory, "jobs.json");

    /// <summary>Takes the folder for this process; another core holding it is an <see cref="InvalidOperationException"/>.</summary>
    public void Lock()
    {
        try
        {
            // FileShare.None takes an advisory lock (flock) on Linux: held while this process lives, gone when it dies.
            _lock = new FileStream(Path.Combine(directory, "core.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"another local-iot-core runs on {directory}: {e.Message}", e);
        }
    }

    /// <summary>Writes endpoint.json: from now on commands find the core (removed again at dispose).</summary>
    public void Publish(CoreEndpoint endpoint)
    {
        endpoint.Write(directory);
        _published = true;
    }

    /// <summary>Removes endpoint.json if this process wrote it: a stopping core takes no more commands.</summary>
    public void Unpublish()
    {
        if (_published)
        {
            File.Delete(Path.Combine(directory, CoreEndpoint.FileName));
            _published = false;
        }
    }

    /// <summary>Unpublishes, and lets the folder go.</summary>
    public void Dispose()
    {
        Unpublish();
        _lock?.Dispose();
    }

    /// <summary>Puts back what the folder holds (nothing on a first start).</summary>
    public void Load(IotRegistry registry, BrokerAcl acl, ShadowApi shadows, JobsApi jobs)
    {
        if (Read(RegistryFile) is JsonObject saved)
        {
            foreach (var thing in saved["things"]?.AsArray() ?? [])
            {
                var attributes = (thing!["attributes"]?.AsObject() ?? []).ToDictionary(a => a.Key, a => a.Value!.GetValue<string>(), StringComparer.Ordinal);
                registry.PutThing(new RegisteredThing(thing["name"]!.GetValue<string>(), attributes));
            }

            foreach (var c in saved["certificates"]?.AsArray() ?? [])
            {
                registry.AddCertificate(new IotCertificate(c!["id"]!.GetValue<string>(), c["pem"]!.GetValue<string>(), c["commonName"]!.GetValue<string>())
                {
                    Status = Enum.Parse<CertificateStatus>(c["status"]!.GetValue<string>()),
                    Thing = c["thing"]?.GetValue<string>(),
                    OwnershipToken = c["ownershipToken"]?.GetValue<string>(),
                    OwnershipTokenExpires = DateTimeOffset.Parse(c["ownershipTokenExpires"]!.GetValue<string>(), CultureInfo.InvariantCulture),
                });
            }

            foreach (var (name, kind) in saved["identities"]?.AsObject() ?? [])
            {
                acl.Issued(name, Enum.Parse<IdentityKind>(kind!.GetValue<string>()));
            }
        }

        if (Read(ShadowsFile) is JsonObject savedShadows)
        {
            shadows.Restore(savedShadows.ToDictionary(s => s.Key, s => Shadow(s.Value!.AsObject()), StringComparer.Ordinal));
        }

        if (Read(JobsFile) is JsonArray savedJobs)
        {
            jobs.Restore(savedJobs.Select(j => Job(j!.AsObject())));
        }

        _registryWritten = registry.Changes + acl.IssuedVersion;
        _shadowsWritten = shadows.Changes;
        _jobsWritten = jobs.Changes;
    }

    /// <summary>Writes each part that changed since the last call.</summary>
    public void Save(IotRegistry registry, BrokerAcl acl, ShadowApi shadows, JobsApi jobs)
    {
        var registryVersion = registry.Changes + acl.IssuedVersion;
        if (registryVersion != _registryWritten)
        {
            var identities = new JsonObject();
            foreach (var (name, kind) in acl.IssuedIdentities())
            {
                identities[name] = kind.ToString();
            }

            Write(RegistryFile, new JsonObject
            {
                ["things"] = new JsonArray([.. registry.Things().Select(t => (JsonNode)new JsonObject
                {
                    ["name"] = t.Name,
                    ["attributes"] = Strings(t.Attributes),
                })]),
                ["certificates"] = new JsonArray([.. registry.Certificates().Select(c => (JsonNode)new JsonObject
                {
                    ["id"] = c.Id,
                    ["pem"] = c.Pem,
                    ["commonName"] = c.CommonName,
                    ["status"] = c.Status.ToString(),
                    ["thing"] = c.Thing,
                    ["ownershipToken"] = c.OwnershipToken,
                    ["ownershipTokenExpires"] = c.OwnershipTokenExpires.ToString("O", CultureInfo.InvariantCulture),
                })]),
                ["identities"] = identities,
            });
            _registryWritten = registryVersion;
        }

        if (shadows.Changes != _shadowsWritten)
        {
            var version = shadows.Changes;
            var saved = new JsonObject();
            foreach (var (thing, document) in shadows.Snapshot())
            {
                saved[thing] = new JsonObject
                {
                    ["desired"] = document.Desired.DeepClone(),
                    ["reported"] = document.Reported.DeepClone(),
                    ["desiredMetadata"] = document.DesiredMetadata.DeepClone(),
                    ["reportedMetadata"] = document.ReportedMetadata.DeepClone(),
                    ["version"] = document.Version,
                };
            }

            Write(ShadowsFile, saved);
            _shadowsWritten = version;
        }

        if (jobs.Changes != _jobsWritten)
        {
            var version = jobs.Changes;
            Write(JobsFile, new JsonArray([.. jobs.Snapshot().Select(e => (JsonNode)new JsonObject
            {
                ["jobId"] = e.JobId,
                ["thingName"] = e.Thing,
                ["document"] = e.Document.DeepClone(),
                ["status"] = e.Status.ToString(),
                ["statusDetails"] = Strings(e.StatusDetails),
                ["versionNumber"] = e.VersionNumber,
                ["queuedAt"] = e.QueuedAt,
                ["startedAt"] = e.StartedAt,
                ["lastUpdatedAt"] = e.LastUpdatedAt,
                ["history"] = new JsonArray([.. e.History.Select(h => (JsonNode)h.ToString())]),
            })]));
            _jobsWritten = version;
        }
    }

    private static ShadowDocument Shadow(JsonObject saved) => new()
    {
        Desired = saved["desired"]?.DeepClone().AsObject() ?? [],
        Reported = saved["reported"]?.DeepClone().AsObject() ?? [],
        DesiredMetadata = saved["desiredMetadata"]?.DeepClone().AsObject() ?? [],
        ReportedMetadata = saved["reportedMetadata"]?.DeepClone().AsObject() ?? [],
        Version = saved["version"]?.GetValue<long>() ?? 0,
    };

    private static JobExecution Job(JsonObject saved) => new(
        saved["jobId"]!.GetValue<string>(),
        saved["thingName"]!.GetValue<string>(),
        saved["document"]!.DeepClone().AsObject(),
        Enum.Parse<JobExecutionStatus>(saved["status"]!.GetValue<string>()),
        (saved["statusDetails"]?.AsObject() ?? []).ToDictionary(d => d.Key, d => d.Value!.GetValue<string>(), StringComparer.Ordinal),
        saved["versionNumber"]!.GetValue<long>(),
        1,
        saved["queuedAt"]!.GetValue<long>(),
        saved["startedAt"]?.GetValue<long>(),
        saved["lastUpdatedAt"]!.GetValue<long>(),
        [.. (saved["history"]?.AsArray() ?? []).Select(h => Enum.Parse<JobExecutionStatus>(h!.GetValue<string>()))]);

    private static JsonObject Strings(IReadOnlyDictionary<string, string> values)
    {
        var json = new JsonObject();
        foreach (var (key, value) in values)
        {
            json[key] = value;
        }

        return json;
    }

    private static JsonNode? Read(string path) => File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) : null;

    private static void Write(string path, JsonNode json) => StateFile.WriteAtomically(path, json.ToJsonString(Indented));
}

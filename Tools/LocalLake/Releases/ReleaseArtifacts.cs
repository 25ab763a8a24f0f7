using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ShelfAgent.Contract;

namespace ShelfAgent.LocalLake.Releases;

/// <summary>
/// A release as devices receive it (the <c>profiles-update</c> contract, docs/jobs.md): one
/// <c>shelf.profile.release.v1</c> file per store with that store's profiles as the proposal has them, and per store the
/// job document pointing to it (URL, size, SHA-256, signature, key id). A store with no profile in the release gets
/// <c>"profiles": []</c>, which withdraws the release on its devices (the rollback of a first release).
/// </summary>
public static class ReleaseArtifacts
{
    /// <summary>The per-store files of release <paramref name="release"/> from its profiles (JSON lines), for <paramref name="stores"/>.</summary>
    public static IReadOnlyDictionary<string, byte[]> Build(string release, string profilesJsonLines, IEnumerable<string> stores)
    {
        ArgumentNullException.ThrowIfNull(profilesJsonLines);
        ArgumentNullException.ThrowIfNull(stores);
        var byStore = new SortedDictionary<string, JsonArray>(StringComparer.Ordinal);
        foreach (var store in stores)
        {
            byStore.TryAdd(store, []);
        }

        foreach (var line in profilesJsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var profile = JsonNode.Parse(line)!.AsObject();
            var store = profile["store"]!.GetValue<string>();
            if (!byStore.TryGetValue(store, out var list))
            {
                byStore[store] = list = [];
            }

            list.Add(profile);
        }

        return byStore.ToDictionary(
            s => s.Key,
            s => Encoding.UTF8.GetBytes(new JsonObject
            {
                ["schema"] = ProfileRelease.Schema,
                ["release"] = release,
                ["store"] = s.Key,
                ["profiles"] = s.Value,
            }.ToJsonString()),
            StringComparer.Ordinal);
    }

    /// <summary>The <c>profiles-update</c> job document for <paramref name="artifact"/> served at <paramref name="url"/>.</summary>
    public static JsonObject JobDocument(string release, Uri url, byte[] artifact, ProfileSigningKey key)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(artifact);
        ArgumentNullException.ThrowIfNull(key);
        return new JsonObject
        {
            ["operation"] = "profiles-update",
            ["release"] = release,
            ["url"] = url.ToString(),
            ["size"] = artifact.Length,
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(artifact)),
            ["signature"] = key.Sign(artifact),
            ["keyId"] = key.Id,
        };
    }

    /// <summary>
    /// Writes the files and job documents of <paramref name="release"/> under <paramref name="outDirectory"/>:
    /// <c>profiles/&lt;release&gt;/&lt;store&gt;.json</c> (the S3 key) and <c>&lt;store&gt;.job.json</c> beside it, with the URL
    /// <paramref name="baseUrl"/> + the S3 key. Returns the job documents by store.
    /// </summary>
    public static IReadOnlyDictionary<string, JsonObject> Publish(
        ReleaseStore releases, string release, IEnumerable<string> stores, ProfileSigningKey key, Uri baseUrl, string outDirectory)
    {
        ArgumentNullException.ThrowIfNull(releases);
        var files = Build(release, File.ReadAllText(releases.ProfilesPath(release)), stores);
        return Write(release, $"profiles/{release}/", files, key, baseUrl, outDirectory);
    }

    /// <summary>
    /// Writes the withdrawal of <paramref name="release"/> for <paramref name="stores"/>: per store a signed file of the same
    /// release with <c>"profiles": []</c> (the agent then forgets the release: its own learning again), under
    /// <c>profiles/&lt;release&gt;/withdrawal/</c> so the release's own files stay. What a rollback sends when no release was
    /// in service before. Returns the job documents by store.
    /// </summary>
    public static IReadOnlyDictionary<string, JsonObject> PublishWithdrawal(
        string release, IEnumerable<string> stores, ProfileSigningKey key, Uri baseUrl, string outDirectory) =>
        Write(release, $"profiles/{release}/withdrawal/", Build(release, "", stores), key, baseUrl, outDirectory);

    private static SortedDictionary<string, JsonObject> Write(
        string release, string prefix, IReadOnlyDictionary<string, byte[]> files, ProfileSigningKey key, Uri baseUrl, string outDirectory)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var folder = Path.Combine(outDirectory, prefix);
        Directory.CreateDirectory(folder);
        var jobs = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (store, bytes) in files)
        {
            File.WriteAllBytes(Path.Combine(folder, store + ".json"), bytes);
            var job = JobDocument(release, new Uri(baseUrl, $"{prefix}{store}.json"), bytes, key);
            File.WriteAllText(Path.Combine(folder, store + ".job.json"), job.ToJsonString());
            jobs[store] = job;
        }

        return jobs;
    }
}

using System.Security.Cryptography;
using System.Text.Json;
using ShelfAgent.Cloud.Learning;

namespace ShelfAgent.LocalLake.Releases;

/// <summary>
/// The releases of the local lake, laid out as in the model-artifacts bucket (<see cref="ReleasePaths"/>):
/// <c>releases/&lt;id&gt;/proposal/{release.json, profiles.jsonl, metrics.json}</c>, <c>releases/&lt;id&gt;/approval.json</c>,
/// <c>releases/&lt;id&gt;/rollout.json</c>. Records are written once (a second write of a record is refused), so the
/// folder is the audit trail.
/// </summary>
public sealed class ReleaseStore
{
    /// <summary>How records are written: camelCase, indented.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly string _root;

    /// <summary>The releases under <paramref name="lakeDirectory"/>.</summary>
    public ReleaseStore(string lakeDirectory) => _root = Path.Combine(lakeDirectory, ReleasePaths.Prefix.TrimEnd('/'));

    /// <summary>The folder of a release.</summary>
    public string Folder(string id) =>
        ReleasePaths.IsValidId(id) ? Path.Combine(_root, id) : throw new ArgumentException($"not a release id: {id}", nameof(id));

    /// <summary>Path of the profiles of a release.</summary>
    public string ProfilesPath(string id) => Path.Combine(Folder(id), ReleasePaths.Proposal, ReleasePaths.Profiles);

    /// <summary>Every release id, oldest first (ids sort by creation).</summary>
    public IReadOnlyList<string> Ids() =>
        Directory.Exists(_root)
            ? Directory.EnumerateDirectories(_root).Select(Path.GetFileName).OfType<string>().Where(ReleasePaths.IsValidId)
                .Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>The release in service on every device: the newest promoted one; null when none was (the devices' own learning).</summary>
    public string? InService() => Ids().LastOrDefault(id => Rollout(id)?.State == RolloutState.Promoted);

    /// <summary>Writes a proposal: the record and its profiles (JSON lines).</summary>
    public void Propose(ReleaseRecord record, string profilesJsonLines)
    {
        ArgumentNullException.ThrowIfNull(record);
        var folder = Path.Combine(Folder(record.Id), ReleasePaths.Proposal);
        if (Directory.Exists(folder))
        {
            throw new InvalidOperationException($"release {record.Id} exists already");
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, ReleasePaths.Profiles), profilesJsonLines);
        WriteOnce(Path.Combine(folder, ReleasePaths.Record), record);
    }

    /// <summary>SHA-256 (hex) of text as UTF-8.</summary>
    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    /// <summary>The release record, or null.</summary>
    public ReleaseRecord? Record(string id) => Read<ReleaseRecord>(Path.Combine(Folder(id), ReleasePaths.Proposal, ReleasePaths.Record));

    /// <summary>The evaluation, or null.</summary>
    public EvaluationRecord? Metrics(string id) => Read<EvaluationRecord>(Path.Combine(Folder(id), ReleasePaths.Proposal, ReleasePaths.Metrics));

    /// <summary>The approval, or null.</summary>
    public ApprovalRecord? Approval(string id) => Read<ApprovalRecord>(Path.Combine(Folder(id), ReleasePaths.Approval));

    /// <summary>The rollout, or null.</summary>
    public RolloutRecord? Rollout(string id) => Read<RolloutRecord>(Path.Combine(Folder(id), ReleasePaths.Rollout));

    /// <summary>Stores the evaluation (once).</summary>
    public void SaveMetrics(EvaluationRecord metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        WriteOnce(Path.Combine(Folder(metrics.Release), ReleasePaths.Proposal, ReleasePaths.Metrics), metrics);
    }

    /// <summary>
    /// Makes room for an evaluation of <paramref name="id"/> against <paramref name="against"/> (null: the devices' own
    /// learning). None yet: nothing to do. A stale one — against another release than now, and not approved on — is kept
    /// aside as <c>proposal/metrics-superseded-N.json</c> (never overwritten: the folder still holds every evaluation) and
    /// its path returned, so the release can be evaluated again once the release in service has changed.
    /// </summary>
    /// <exception cref="InvalidOperationException">Evaluated already against the same release, or approved on its evaluation.</exception>
    public string? MakeRoomForEvaluation(string id, string? against)
    {
        if (Metrics(id) is not { } had)
        {
            return null;
        }

        var data = had.Data.ToString().ToLowerInvariant();
        if (had.Against == against)
        {
            throw new InvalidOperationException($"release {id} is evaluated already (from {data}, against {against ?? "none"})");
        }

        if (Approval(id) is { } approval)
        {
            throw new InvalidOperationException(
                $"release {id} was approved by {approval.ApprovedBy.Name} on its evaluation against {had.Against ?? "none"}: it is not evaluated again");
        }

        var proposal = Path.Combine(Folder(id), ReleasePaths.Proposal);
        for (var n = 1; ; n++)
        {
            var aside = Path.Combine(proposal, $"metrics-superseded-{n}.json");
            if (!File.Exists(aside))
            {
                File.Move(Path.Combine(proposal, ReleasePaths.Metrics), aside, overwrite: false);
                return aside;
            }
        }
    }

    /// <summary>Stores the approval (once).</summary>
    public void SaveApproval(ApprovalRecord approval)
    {
        ArgumentNullException.ThrowIfNull(approval);
        WriteOnce(Path.Combine(Folder(approval.Release), ReleasePaths.Approval), approval);
    }

    /// <summary>Replaces the rollout state (it moves: canary → promoted | rolled-back); each state keeps its history.</summary>
    public void SaveRollout(RolloutRecord rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        File.WriteAllText(Path.Combine(Folder(rollout.Release), ReleasePaths.Rollout), JsonSerializer.Serialize(rollout, Json));
    }

    private static void WriteOnce<T>(string path, T value)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        JsonSerializer.Serialize(file, value, Json);
    }

    private static T? Read<T>(string path) where T : class =>
        File.Exists(path) ? JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json) : null;
}

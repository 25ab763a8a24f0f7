namespace ShelfAgent.Cloud.Learning;

/// <summary>
/// Where a profile release lives (the model-artifacts bucket in AWS, the lake's folder on one machine), so IAM can tell
/// a proposal from an approval by key alone (docs/models.md): <c>releases/&lt;id&gt;/proposal/</c> holds what data
/// scientists and ML engineers write (release.json, profiles.jsonl, metrics.json); <c>releases/&lt;id&gt;/approval.json</c>
/// only an approver writes.
/// </summary>
public static class ReleasePaths
{
    /// <summary>Key prefix of every release.</summary>
    public const string Prefix = "releases/";

    /// <summary>The folder of the proposal inside a release.</summary>
    public const string Proposal = "proposal";

    /// <summary>The approval record inside a release.</summary>
    public const string Approval = "approval.json";

    /// <summary>The release record inside the proposal.</summary>
    public const string Record = "release.json";

    /// <summary>The profiles inside the proposal (shelf.profile.v1 JSON lines).</summary>
    public const string Profiles = "profiles.jsonl";

    /// <summary>The evaluation inside the proposal.</summary>
    public const string Metrics = "metrics.json";

    /// <summary>The rollout state of a release (canary, promoted, rolled back), written by the watch step.</summary>
    public const string Rollout = "rollout.json";

    /// <summary>Key prefix of the signed per-store artifacts devices download (profiles-update jobs).</summary>
    public const string ArtifactPrefix = "profiles/";

    /// <summary>The signed artifact of one store in one release: <c>profiles/&lt;release&gt;/&lt;store&gt;.json</c> (docs/models.md).</summary>
    public static string Artifact(string release, string store) => $"{ArtifactPrefix}{release}/{store}.json";

    /// <summary>A release id: <c>r-</c> then 1–60 of a-z, 0-9, '-'.</summary>
    public static bool IsValidId(string? id) =>
        id is { Length: > 2 and <= 62 } && id.StartsWith("r-", StringComparison.Ordinal)
        && id.Skip(2).All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}

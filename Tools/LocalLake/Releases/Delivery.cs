namespace ShelfAgent.LocalLake.Releases;

/// <summary>
/// What a rollout step sends to devices: <see cref="Release"/>'s profiles-update job to <see cref="Things"/>, or — when
/// <see cref="Release"/> is null — the withdrawal of <see cref="Rollout"/> (no release was in service before it: the devices'
/// own learning again). Jobs are named after <see cref="Purpose"/> and <see cref="Rollout"/> (<see cref="ReleaseJobs.JobId"/>).
/// </summary>
public sealed record Delivery(string Purpose, string Rollout, string? Release, IReadOnlyList<string> Things)
{
    /// <summary>The canary of <paramref name="started"/>: its release to the canary's things.</summary>
    public static Delivery Canary(RolloutRecord started)
    {
        ArgumentNullException.ThrowIfNull(started);
        return new("canary", started.Release, started.Release, started.Canary);
    }

    /// <summary>
    /// What follows a decision (<paramref name="before"/> → <paramref name="after"/>; <paramref name="inService"/>: the release
    /// in service once decided): promoted — the release to the rest; rolled back from its canary — the previous release (or
    /// the withdrawal) to the canary; rolled back once promoted — the release now in service (or the withdrawal) to every
    /// device. Nothing when the state did not change.
    /// </summary>
    public static Delivery? After(RolloutRecord before, RolloutRecord after, string? inService)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return (before.State, after.State) switch
        {
            (RolloutState.Canary, RolloutState.Promoted) => new("promote", after.Release, after.Release, after.Rest),
            (RolloutState.Canary, RolloutState.RolledBack) => new("rollback", after.Release, after.Previous, after.Canary),
            (RolloutState.Promoted, RolloutState.RolledBack) => new("rollback", after.Release, inService, [.. after.Canary, .. after.Rest]),
            _ => null,
        };
    }

    /// <summary>What is sent, for a command's output.</summary>
    public string What => Release ?? $"the withdrawal of {Rollout} (the devices' own learning)";
}

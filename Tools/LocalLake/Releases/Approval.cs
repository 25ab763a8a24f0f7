using ShelfAgent.Cloud.Governance;

namespace ShelfAgent.LocalLake.Releases;

/// <summary>
/// Approving a release for deployment (docs/models.md): only a profile that holds <see cref="Capability.ApproveRelease"/> in
/// <see cref="ProfileMatrix"/> (the ml-engineer) may, only once, only on an evaluated release, and — unless the approver
/// writes why — only when its evaluation is not worse than the release in service (<see cref="WatchVerdict.Decide"/>, the
/// watch's own rule, on the held-out week). The record says who, when, on which metrics, the verdict and any override.
/// </summary>
public static class Approval
{
    /// <summary>Approves <paramref name="id"/> as <paramref name="by"/>.</summary>
    /// <param name="releases">The releases.</param>
    /// <param name="id">The release.</param>
    /// <param name="by">Who approves, in which profile.</param>
    /// <param name="now">When.</param>
    /// <param name="overrideReason">
    /// Why a release that evaluated worse than the one in service ships all the same (recorded); null or blank refuses such a release.
    /// </param>
    /// <exception cref="UnauthorizedAccessException">The profile may not approve.</exception>
    /// <exception cref="InvalidOperationException">
    /// No such release, not evaluated, evaluated against a release no longer in service, or approved already.
    /// </exception>
    /// <exception cref="WorseReleaseException">The evaluation is worse and no override reason was given.</exception>
    public static ApprovalRecord Approve(ReleaseStore releases, string id, Actor by, DateTimeOffset now, string? overrideReason = null)
    {
        ArgumentNullException.ThrowIfNull(releases);
        ArgumentNullException.ThrowIfNull(by);
        if (!ProfileMatrix.MayApproveRelease(by.Profile))
        {
            throw new UnauthorizedAccessException(
                $"profile {by.Profile} may not approve a release: only " +
                $"{string.Join(", ", ProfileMatrix.Profiles.Keys.Where(ProfileMatrix.MayApproveRelease))} may (ProfileMatrix)");
        }

        _ = releases.Record(id) ?? throw new InvalidOperationException($"no release {id}");
        var metrics = releases.Metrics(id) ?? throw new InvalidOperationException($"release {id} is not evaluated yet: run evaluate first");
        if (releases.Approval(id) is { } earlier)
        {
            throw new InvalidOperationException($"release {id} was approved already by {earlier.ApprovedBy.Name} at {earlier.At:O}");
        }

        var inService = releases.InService();
        if (metrics.Against != inService)
        {
            throw new InvalidOperationException(
                $"release {id} was evaluated against {metrics.Against ?? "the devices' own learning"}, but {inService ?? "none"} is in service now: " +
                "evaluate it again");
        }

        var verdict = WatchVerdict.Decide(metrics.CandidateTotal, metrics.InServiceTotal);
        var reason = string.IsNullOrWhiteSpace(overrideReason) ? null : overrideReason.Trim();
        if (!verdict.Promote && reason is null)
        {
            throw new WorseReleaseException(
                $"release {id} evaluates worse than {metrics.Against ?? "the devices' own learning"} on the week from {metrics.WeekFrom:yyyy-MM-dd} " +
                $"({verdict.Reason}); not approved. To ship it anyway, approve again with a written reason (--override-reason), which is recorded");
        }

        var approval = new ApprovalRecord
        {
            Release = id,
            ApprovedBy = by,
            At = now,
            Metrics = metrics,
            Verdict = verdict.Reason,
            OverrideReason = verdict.Promote ? null : reason,
        };
        releases.SaveApproval(approval);
        return approval;
    }
}

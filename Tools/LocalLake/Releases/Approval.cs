using ShelfAgent.Cloud.Governance;

namespace ShelfAgent.LocalLake.Releases;

/// <summary>
/// Approving a release for deployment (docs/models.md): only a profile that holds <see cref="Capability.ApproveRelease"/> in
/// <see cref="ProfileMatrix"/> (the ml-engineer) may, only once, and only on an evaluated release; the record says who,
/// when and on which metrics.
/// </summary>
public static class Approval
{
    /// <summary>Approves <paramref name="id"/> as <paramref name="by"/>.</summary>
    /// <exception cref="UnauthorizedAccessException">The profile may not approve.</exception>
    /// <exception cref="InvalidOperationException">No such release, not evaluated, or approved already.</exception>
    public static ApprovalRecord Approve(ReleaseStore releases, string id, Actor by, DateTimeOffset now)
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

        var approval = new ApprovalRecord { Release = id, ApprovedBy = by, At = now, Metrics = metrics };
        releases.SaveApproval(approval);
        return approval;
    }
}

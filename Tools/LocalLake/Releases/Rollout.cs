using ShelfAgent.Cloud.Governance;
using ShelfAgent.LocalLake.Ingest;

namespace ShelfAgent.LocalLake.Releases;

/// <summary>
/// Canary → watch → promote or roll back, on one machine (docs/models.md). The devices are the simulated stores of a
/// traces folder: the canary runs the new release, the rest the previous one, each through the agent's own pipeline;
/// after the watch days the canary's strict figures are compared with the same devices' readings replayed with the
/// previous release over the same days (<see cref="WatchVerdict"/>); the rest's figures are reported beside them.
/// </summary>
public static class Rollout
{
    /// <summary>Starts the canary of an approved release on <paramref name="share"/> of the stores.</summary>
    /// <exception cref="InvalidOperationException">Not approved, or already rolled out.</exception>
    public static RolloutRecord Start(ReleaseStore releases, string id, IReadOnlyList<DeviceTrace> devices, double share, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(releases);
        ArgumentNullException.ThrowIfNull(devices);
        if (releases.Approval(id) is null)
        {
            throw new InvalidOperationException($"release {id} is not approved: only an approved release goes to a canary");
        }

        if (releases.Rollout(id) is { } existing)
        {
            throw new InvalidOperationException($"release {id} is rolled out already ({existing.State})");
        }

        var (canary, rest) = Canary.Choose(devices.ToDictionary(d => d.Thing, d => d.Store, StringComparer.Ordinal), id, share);
        var rollout = new RolloutRecord
        {
            Release = id,
            Previous = releases.InService(),
            State = RolloutState.Canary,
            Canary = canary,
            Rest = rest,
            Started = now,
        };
        releases.SaveRollout(rollout);
        return rollout;
    }

    /// <summary>
    /// The watch: scores the canary (new release) and the rest (previous) over [<paramref name="from"/>, + <paramref name="days"/>)
    /// and promotes or rolls back. Returns the decided rollout and the verdict.
    /// </summary>
    public static (RolloutRecord Rollout, WatchVerdict Verdict) Watch(
        ReleaseStore releases, string id, IReadOnlyList<DeviceTrace> devices, DateTimeOffset from, int days, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(releases);
        ArgumentNullException.ThrowIfNull(devices);
        var rollout = OnCanary(releases, id);

        var to = from.AddDays(days);
        var candidate = Evaluation.Profiles(releases, id);
        var previous = rollout.Previous is { } p ? Evaluation.Profiles(releases, p) : [];
        var canaryDevices = devices.Where(d => rollout.Canary.Contains(d.Thing)).ToList();
        var canary = Total(Evaluation.Score(canaryDevices, candidate, from, to));
        // The same canary devices' readings replayed with the previous release over the same days: a paired comparison,
        // free of the difference between stores that canary vs rest carries (the rest's figures are reported beside it).
        var counterfactual = Total(Evaluation.Score(canaryDevices, previous, from, to));
        var rest = Total(Evaluation.Score(devices.Where(d => rollout.Rest.Contains(d.Thing)).ToList(), previous, from, to));
        var judged = WatchVerdict.Decide(canary, counterfactual);
        var verdict = judged with { Reason = $"{judged.Reason}; the rest on {rollout.Previous ?? "their own learning"}: {Describe(rest)}" };
        return (Decide(releases, rollout, verdict, now), verdict);
    }

    /// <summary>
    /// The watch from the lake's own data (<see cref="LakeWatch"/>, the release-health query as AWS runs it): promotes or
    /// rolls back on <paramref name="rows"/> and records it. Returns the decided rollout and the verdict.
    /// </summary>
    public static (RolloutRecord Rollout, WatchVerdict Verdict) WatchFromLake(
        ReleaseStore releases, string id, IReadOnlyList<ReleaseHealthRow> rows, IReadOnlyDictionary<string, string> storeOfThing, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(releases);
        var rollout = OnCanary(releases, id);

        var (_, _, verdict) = LakeWatch.Decide(rollout, rows, storeOfThing);
        return (Decide(releases, rollout, verdict, now), verdict);
    }

    /// <summary>
    /// Rolls a release back by hand (docs/models.md): on its canary or promoted, it becomes rolled back, so the release in
    /// service is again the promoted one before it (or the devices' own learning). Only a profile that may approve may.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">The profile may not approve releases.</exception>
    /// <exception cref="InvalidOperationException">The release was never rolled out, or is rolled back already.</exception>
    public static RolloutRecord RollBack(ReleaseStore releases, string id, Actor by, string reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(releases);
        ArgumentNullException.ThrowIfNull(by);
        if (!ProfileMatrix.MayApproveRelease(by.Profile))
        {
            throw new UnauthorizedAccessException($"profile {by.Profile} may not roll a release back: only those who may approve may (ProfileMatrix)");
        }

        var rollout = releases.Rollout(id) ?? throw new InvalidOperationException($"release {id} was never rolled out");
        if (rollout.State == RolloutState.RolledBack)
        {
            throw new InvalidOperationException($"release {id} is rolled back already: {rollout.Reason}");
        }

        var undone = rollout with
        {
            State = RolloutState.RolledBack,
            Decided = now,
            Reason = $"rolled back by hand by {by.Name} ({by.Profile}) from {rollout.StateName}: {reason}",
        };
        releases.SaveRollout(undone);
        return undone;
    }

    // The rollout a watch may decide: one on its canary.
    private static RolloutRecord OnCanary(ReleaseStore releases, string id)
    {
        var rollout = releases.Rollout(id) ?? throw new InvalidOperationException($"release {id} has no canary");
        return rollout.State == RolloutState.Canary
            ? rollout
            : throw new InvalidOperationException($"release {id} was decided already ({rollout.State})");
    }

    // A watch's verdict recorded: promoted or rolled back, when and why (rollout.json moves once more).
    private static RolloutRecord Decide(ReleaseStore releases, RolloutRecord rollout, WatchVerdict verdict, DateTimeOffset now)
    {
        var decided = rollout with
        {
            State = verdict.Promote ? RolloutState.Promoted : RolloutState.RolledBack,
            Decided = now,
            Reason = verdict.Reason,
        };
        releases.SaveRollout(decided);
        return decided;
    }

    private static string Describe(QualityFigures f) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"recall@30 {f.Recall30:P0} ({f.StockOuts} stock-outs), false alarms/slot-day {f.FalseAlarmsPerSlotDay:0.00}, precision {f.Precision:P0}");

    private static QualityFigures Total(IReadOnlyDictionary<string, QualityFigures> byStore) =>
        byStore.Values.Aggregate(QualityFigures.Zero, QualityFigures.Add);
}

using System.Globalization;

namespace ShelfAgent.LocalLake.Releases;

/// <summary>
/// The watch from the lake's own data, as the release-watch Lambda decides in AWS (Cloud/Lambda/release-watch.js): the
/// release-health rows of the canary's stores whose forecasts named the release (<c>cloud:&lt;release&gt;</c>; a canary
/// device that has not applied it yet does not count for it) against the rest's stores on whatever they ran, judged
/// with <see cref="WatchVerdict"/>'s rule — canary vs the rest, not paired (no replay: store noise counts). Pure.
/// </summary>
public static class LakeWatch
{
    /// <summary>The canary's and the rest's figures and the verdict.</summary>
    /// <param name="rollout">The canary (its things).</param>
    /// <param name="rows">The release-health rows since the canary started.</param>
    /// <param name="storeOfThing">Each thing's store (the lake's forecasts say).</param>
    /// <exception cref="InvalidOperationException">No slot-day of the canary's stores named the release: nothing to judge.</exception>
    public static (QualityFigures Canary, QualityFigures Others, WatchVerdict Verdict) Decide(
        RolloutRecord rollout, IReadOnlyList<ReleaseHealthRow> rows, IReadOnlyDictionary<string, string> storeOfThing)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(storeOfThing);
        var canaryStores = Stores(rollout.Canary, storeOfThing);
        // A store with things on both sides counts for the canary only (AWS chooses whole stores, so it never has one).
        var restStores = Stores(rollout.Rest, storeOfThing).Except(canaryStores).ToHashSet(StringComparer.Ordinal);
        var profile = "cloud:" + rollout.Release;
        var canary = Total(rows.Where(r => canaryStores.Contains(r.Store) && r.Profile == profile));
        var rest = Total(rows.Where(r => restStores.Contains(r.Store)));
        if (canary.SlotDays <= 0)
        {
            throw new InvalidOperationException(
                $"no forecasts of {profile} from the canary's stores ({string.Join(", ", canaryStores.Order(StringComparer.Ordinal))}) in the lake " +
                "since the watch's first day: nothing to judge (have the devices applied it, and did listen and curate run?)");
        }

        var judged = WatchVerdict.Decide(canary, rest);
        var verdict = judged with
        {
            Reason = string.Create(CultureInfo.InvariantCulture,
                $"{judged.Reason}; from the lake: canary {canary.SlotDays} slot-days on {profile} vs the rest {rest.SlotDays} slot-days " +
                $"on {(rollout.Previous is { } p ? "cloud:" + p : "their own learning")}"),
        };
        return (canary, rest, verdict);
    }

    private static HashSet<string> Stores(IEnumerable<string> things, IReadOnlyDictionary<string, string> storeOfThing) =>
        things.Select(t => storeOfThing.TryGetValue(t, out var s) ? s : null).OfType<string>().ToHashSet(StringComparer.Ordinal);

    private static QualityFigures Total(IEnumerable<ReleaseHealthRow> rows) =>
        rows.Select(r => r.Figures).Aggregate(QualityFigures.Zero, QualityFigures.Add);
}

using System.Globalization;

namespace ShelfAgent.LocalLake.Releases;

/// <summary>What the watch decides about a canary.</summary>
/// <param name="Promote">True: promote to every store; false: roll back.</param>
/// <param name="Reason">Why, with the figures (what the ML engineers' notice says).</param>
public sealed record WatchVerdict(bool Promote, string Reason)
{
    /// <summary>Recall@30 may drop by at most this much (absolute) before the release counts as worse.</summary>
    public const double RecallTolerance = 0.05;

    /// <summary>False alarms per slot-day may rise by at most this factor (plus 0.05 absolute) before the release counts as worse.</summary>
    public const double FalseAlarmTolerance = 1.25;

    /// <summary>
    /// Compares the canary on the new release with the previous release over the same watch days (on one machine: the
    /// canary's own readings replayed with it; in AWS it could be the rest), in rates (recall@30, false alarms per
    /// slot-day), so fleet sizes cancel out: the release is worse when its recall@30 is more
    /// than <see cref="RecallTolerance"/> lower, or its false alarms per slot-day more than <see cref="FalseAlarmTolerance"/>
    /// × (+0.05) higher; otherwise it is promoted.
    /// </summary>
    public static WatchVerdict Decide(QualityFigures release, QualityFigures previous)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(previous);
        var figures = string.Create(CultureInfo.InvariantCulture,
            $"recall@30 {release.Recall30:P0} vs {previous.Recall30:P0} ({release.StockOuts} stock-outs), " +
            $"false alarms/slot-day {release.FalseAlarmsPerSlotDay:0.00} vs {previous.FalseAlarmsPerSlotDay:0.00}, " +
            $"precision {release.Precision:P0} vs {previous.Precision:P0}");
        if (release.StockOuts > 0 && release.Recall30 < previous.Recall30 - RecallTolerance)
        {
            return new WatchVerdict(false, $"worse: recall@30 fell; {figures}");
        }

        if (release.FalseAlarmsPerSlotDay > (previous.FalseAlarmsPerSlotDay * FalseAlarmTolerance) + 0.05)
        {
            return new WatchVerdict(false, $"worse: more false alarms; {figures}");
        }

        return new WatchVerdict(true, $"not worse: {figures}");
    }
}

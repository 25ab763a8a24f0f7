using ShelfAgent.LocalLake.Releases;

namespace ShelfAgent.LocalLake.Tests.Releases;

/// <summary>The watch from lake rows: the canary's stores on the release vs the rest's stores, with WatchVerdict's rule.</summary>
public sealed class LakeWatchTests
{
    private static readonly RolloutRecord Rollout = new()
    {
        Release = "r-2",
        Previous = "r-1",
        State = RolloutState.Canary,
        Canary = ["t-1"],
        Rest = ["t-2", "t-3"],
        Started = new DateTimeOffset(2026, 10, 5, 0, 0, 0, TimeSpan.Zero),
    };

    private static readonly Dictionary<string, string> Stores = new() { ["t-1"] = "s-1", ["t-2"] = "s-2", ["t-3"] = "s-3" };

    [Fact]
    public void A_canary_no_worse_than_the_rest_is_promoted()
    {
        ReleaseHealthRow[] rows =
        [
            new("s-1", "cloud:r-2", SlotDays: 4, StockOuts: 4, Caught: 3, Alerts: 4, FalseAlarms: 1),
            // the canary store's days before it applied the release do not count for it
            new("s-1", "cloud:r-1", SlotDays: 2, StockOuts: 2, Caught: 0, Alerts: 9, FalseAlarms: 9),
            new("s-2", "cloud:r-1", SlotDays: 4, StockOuts: 4, Caught: 3, Alerts: 4, FalseAlarms: 1),
            new("s-3", "cloud:r-1", SlotDays: 4, StockOuts: 4, Caught: 3, Alerts: 4, FalseAlarms: 1),
        ];

        var (canary, rest, verdict) = LakeWatch.Decide(Rollout, rows, Stores);

        Assert.True(verdict.Promote, verdict.Reason);
        Assert.Equal((4, 4, 3), (canary.SlotDays, canary.StockOuts, canary.Caught));
        Assert.Equal((8, 8, 6), (rest.SlotDays, rest.StockOuts, rest.Caught));
        Assert.Contains("from the lake: canary 4 slot-days on cloud:r-2 vs the rest 8 slot-days on cloud:r-1", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_canary_with_more_false_alarms_than_the_rest_is_rolled_back()
    {
        ReleaseHealthRow[] rows =
        [
            new("s-1", "cloud:r-2", SlotDays: 4, StockOuts: 4, Caught: 3, Alerts: 12, FalseAlarms: 9),
            new("s-2", "cloud:r-1", SlotDays: 8, StockOuts: 8, Caught: 6, Alerts: 8, FalseAlarms: 2),
        ];

        var (_, _, verdict) = LakeWatch.Decide(Rollout, rows, Stores);

        Assert.False(verdict.Promote);
        Assert.StartsWith("worse: more false alarms", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_canary_that_catches_fewer_stock_outs_is_rolled_back()
    {
        ReleaseHealthRow[] rows =
        [
            new("s-1", "cloud:r-2", SlotDays: 4, StockOuts: 4, Caught: 1, Alerts: 1, FalseAlarms: 0),
            new("s-2", "cloud:r-1", SlotDays: 8, StockOuts: 8, Caught: 6, Alerts: 6, FalseAlarms: 0),
        ];

        Assert.StartsWith("worse: recall@30 fell", LakeWatch.Decide(Rollout, rows, Stores).Verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_is_decided_when_no_forecast_of_the_canary_named_the_release()
    {
        ReleaseHealthRow[] rows = [new("s-1", "cloud:r-1", 4, 4, 3, 4, 1), new("s-2", "cloud:r-1", 4, 4, 3, 4, 1)];

        var refused = Assert.Throws<InvalidOperationException>(() => LakeWatch.Decide(Rollout, rows, Stores));
        Assert.Contains("no forecasts of cloud:r-2", refused.Message, StringComparison.Ordinal);
    }
}

using ShelfAgent.LocalLake.Releases;

namespace ShelfAgent.LocalLake.Tests.Releases;

/// <summary>The watch promotes what is not worse and rolls back what is, in rates so fleet sizes cancel out.</summary>
public sealed class WatchVerdictTests
{
    private static QualityFigures F(int stockOuts, int caught, int alerts, int trueAlerts, double slotDays) =>
        new() { StockOuts = stockOuts, Caught = caught, Alerts = alerts, TrueAlerts = trueAlerts, SlotDays = slotDays };

    [Fact]
    public void Watch_promotes_a_release_as_good_on_a_smaller_canary()
    {
        var verdict = WatchVerdict.Decide(F(10, 8, 20, 10, 100), F(40, 32, 80, 40, 400));
        Assert.True(verdict.Promote);
        Assert.StartsWith("not worse", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Watch_rolls_back_when_recall_falls_beyond_the_tolerance()
    {
        var verdict = WatchVerdict.Decide(F(10, 6, 20, 10, 100), F(10, 8, 20, 10, 100));
        Assert.False(verdict.Promote);
        Assert.Contains("recall@30 fell", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Watch_rolls_back_when_false_alarms_rise_beyond_the_tolerance()
    {
        var verdict = WatchVerdict.Decide(F(10, 9, 60, 10, 100), F(10, 8, 20, 10, 100));
        Assert.False(verdict.Promote);
        Assert.Contains("more false alarms", verdict.Reason, StringComparison.Ordinal);
    }
}

using ShelfAgent.Backtest.Scoring;

namespace ShelfAgent.Tests.Backtest.Scoring;

public sealed class ForecastScorerTests
{
    private static readonly DateTimeOffset Monday = new(2026, 10, 5, 0, 0, 0, TimeSpan.Zero);

    private static GroundTruth Truth(params string[] lines)
    {
        var truth = new GroundTruth();
        foreach (var line in lines)
        {
            Assert.True(truth.TryAdd(line, out var problem), problem);
        }

        return truth;
    }

    private static string At(double hours) => ShelfAgent.Contract.WireFormat.Timestamp(Monday.AddHours(hours));

    private static SlotScore Score(GroundTruth truth, params ScoredAlert[] alerts)
        => ForecastScorer.Score(truth.Slot("t", "A1"), truth.Store("t"), alerts, Monday, Monday.AddDays(14));

    [Fact]
    public void Does_not_count_an_alert_true_when_only_a_routine_refill_followed_it()
    {
        // Restocked 30 min after the alert; without the refill the slot would have emptied only 8 h later.
        var truth = Truth(
            $$"""{"type":"store","ts":"{{At(0)}}","thing":"t","archetype":"convenience","utcOffset":"+00:00"}""",
            $$"""{"type":"restock","ts":"{{At(10.5)}}","thing":"t","slot":"A1","from":4,"to":12,"schedule":"on-time"}""",
            $$"""{"type":"counterfactual-empty","ts":"{{At(18.5)}}","thing":"t","slot":"A1","restock":"{{At(10.5)}}"}""");

        var score = Score(truth, new ScoredAlert(Monday.AddHours(10), TimeSpan.FromMinutes(180), null));

        var alert = Assert.Single(score.Alerts);
        Assert.False(alert.StrictTrue);
        Assert.True(alert.LooseTrue);
    }

    [Fact]
    public void Counts_an_alert_true_when_the_refill_pre_empted_a_stockout_in_its_horizon()
    {
        var truth = Truth(
            $$"""{"type":"restock","ts":"{{At(10.5)}}","thing":"t","slot":"A1","from":1,"to":12,"schedule":"late"}""",
            $$"""{"type":"counterfactual-empty","ts":"{{At(11.5)}}","thing":"t","slot":"A1","restock":"{{At(10.5)}}"}""");

        var score = Score(truth, new ScoredAlert(Monday.AddHours(10), TimeSpan.FromMinutes(180), null));

        Assert.True(Assert.Single(score.Alerts).StrictTrue);
    }

    [Fact]
    public void Gives_the_lead_of_the_first_alert_in_the_episode_and_no_cause_when_warned_in_time()
    {
        var truth = Truth(
            $$"""{"type":"restock","ts":"{{At(8)}}","thing":"t","slot":"A1","from":3,"to":12,"schedule":"on-time"}""",
            $$"""{"type":"stockout-start","ts":"{{At(12)}}","thing":"t","slot":"A1"}""");

        var score = Score(truth,
            new ScoredAlert(Monday.AddHours(7), TimeSpan.FromMinutes(180), Monday.AddHours(8)),
            new ScoredAlert(Monday.AddHours(11), TimeSpan.FromMinutes(180), null));

        var stockout = Assert.Single(score.Stockouts);
        Assert.Equal(TimeSpan.FromHours(1), stockout.Lead);
        Assert.Null(stockout.Cause);
    }

    [Fact]
    public void Blames_an_episode_carried_over_a_restock_when_no_new_alert_came()
    {
        var truth = Truth(
            $$"""{"type":"restock","ts":"{{At(8)}}","thing":"t","slot":"A1","from":3,"to":12,"schedule":"on-time"}""",
            $$"""{"type":"stockout-start","ts":"{{At(12)}}","thing":"t","slot":"A1"}""");

        var score = Score(truth, new ScoredAlert(Monday.AddHours(7), TimeSpan.FromMinutes(180), null));

        Assert.Equal(MissCause.CarriedOverRestock, Assert.Single(score.Stockouts).Cause);
    }

    [Fact]
    public void Blames_closing_time_a_slow_slot_and_a_fault_in_that_order()
    {
        var day = $$"""{"type":"day","ts":"{{At(0)}}","thing":"t","date":"2026-10-05","open":"06:00","close":"23:00","holiday":true,"promotions":["A1"]}""";
        var beforeClosing = Truth(day, $$"""{"type":"stockout-start","ts":"{{At(22)}}","thing":"t","slot":"A1"}""");
        var slow = Truth(day, $$"""{"type":"stockout-start","ts":"{{At(15)}}","thing":"t","slot":"A1"}""");
        var fault = Truth(day,
            $$"""{"type":"count","ts":"{{At(0)}}","thing":"t","slot":"A1","count":500}""",
            $$"""{"type":"count","ts":"{{At(1)}}","thing":"t","slot":"A1","count":0}""",
            $$"""{"type":"fault","ts":"{{At(13)}}","thing":"t","slot":"A1","minutes":30}""",
            $$"""{"type":"stockout-start","ts":"{{At(15)}}","thing":"t","slot":"A1"}""");

        Assert.Equal(MissCause.BeforeClosing, Assert.Single(Score(beforeClosing).Stockouts).Cause);
        Assert.Equal(MissCause.SlowSlot, Assert.Single(Score(slow).Stockouts).Cause);
        var faulted = Assert.Single(Score(fault).Stockouts);
        Assert.Equal(MissCause.AfterFault, faulted.Cause);
        Assert.True(faulted.Day is { Holiday: true, Promotion: true, ColdStart: true });
    }

    [Fact]
    public void Tallies_recall_precision_false_alarms_and_misses_per_slot_day()
    {
        var truth = Truth(
            $$"""{"type":"stockout-start","ts":"{{At(30)}}","thing":"t","slot":"A1"}""",
            $$"""{"type":"stockout-start","ts":"{{At(200)}}","thing":"t","slot":"A1"}""");
        var score = Score(truth,
            new ScoredAlert(Monday.AddHours(29), TimeSpan.FromMinutes(180), null),
            new ScoredAlert(Monday.AddHours(100), TimeSpan.FromMinutes(180), null));
        var tally = new ScoreTally("predicted-empty");

        tally.Add(score);

        Assert.Equal((2, 2, 1), (tally.Stockouts, tally.Alerts, tally.StrictFalse));
        Assert.Equal(0.5, tally.Recall(2));
        Assert.Equal(0.5, tally.Precision);
        Assert.Equal(1 / 14.0, tally.FalsePerSlotDay, 6);
        Assert.Equal(60, tally.MedianLead);
        Assert.Equal(1, tally.TotalMisses);
        Assert.Equal(1, tally.Unwarned(MissCause.Other));
    }
}

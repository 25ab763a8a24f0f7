using ShelfAgent.Cloud.Governance;
using ShelfAgent.Cloud.Learning;
using ShelfAgent.LocalLake.Releases;

namespace ShelfAgent.LocalLake.Tests.Releases;

/// <summary>Approval is governed by ProfileMatrix, recorded once, and needs an evaluation.</summary>
public sealed class ApprovalTests
{
    private static readonly DateTimeOffset Now = new(2026, 10, 19, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(ProfileMatrix.DataScientist)]
    [InlineData(ProfileMatrix.DataEngineer)]
    [InlineData(ProfileMatrix.StoreOperations)]
    [InlineData("nobody")]
    public void Approval_is_refused_for_a_profile_that_may_not_approve(string profile)
    {
        using var lake = new TestLake();
        var releases = Evaluated(lake);
        var e = Assert.Throws<UnauthorizedAccessException>(() => Approval.Approve(releases, "r-1", new Actor("bob", profile), Now));
        Assert.Contains(ProfileMatrix.MlEngineer, e.Message, StringComparison.Ordinal);
        Assert.Null(releases.Approval("r-1"));
        Assert.False(File.Exists(Path.Combine(releases.Folder("r-1"), ReleasePaths.Approval)));
    }

    [Fact]
    public void Approval_records_who_when_and_the_metrics_seen_when_an_ml_engineer_approves()
    {
        using var lake = new TestLake();
        var releases = Evaluated(lake);
        Approval.Approve(releases, "r-1", new Actor("carol", ProfileMatrix.MlEngineer), Now);
        var record = releases.Approval("r-1")!;
        Assert.Equal(new Actor("carol", ProfileMatrix.MlEngineer), record.ApprovedBy);
        Assert.Equal(Now, record.At);
        Assert.Equal(3, record.Metrics.Candidate["store-a"].Caught);
        // Once: a second approval does not overwrite the record.
        Assert.Throws<InvalidOperationException>(() => Approval.Approve(releases, "r-1", new Actor("dave", ProfileMatrix.MlEngineer), Now));
        Assert.Equal("carol", releases.Approval("r-1")!.ApprovedBy.Name);
    }

    [Fact]
    public void Approval_needs_an_evaluation_first()
    {
        using var lake = new TestLake();
        var releases = new ReleaseStore(lake.Directory);
        releases.Propose(Record(), "");
        var e = Assert.Throws<InvalidOperationException>(() => Approval.Approve(releases, "r-1", new Actor("carol", ProfileMatrix.MlEngineer), Now));
        Assert.Contains("not evaluated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_release_that_evaluates_worse_than_the_one_in_service_is_refused_without_a_written_reason()
    {
        using var lake = new TestLake();
        // The round-2 demo: recall@30 70 % against 93 % in service.
        var releases = Evaluated(
            lake,
            candidate: new QualityFigures { StockOuts = 30, Caught = 21, Alerts = 30, TrueAlerts = 21, SlotDays = 84 },
            inService: new QualityFigures { StockOuts = 30, Caught = 28, Alerts = 30, TrueAlerts = 28, SlotDays = 84 });

        var e = Assert.Throws<WorseReleaseException>(() => Approval.Approve(releases, "r-1", new Actor("carol", ProfileMatrix.MlEngineer), Now));
        Assert.Contains("evaluates worse than the devices' own learning", e.Message, StringComparison.Ordinal);
        Assert.Contains("recall@30 70% vs 93%", e.Message.Replace(" %", "%", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("--override-reason", e.Message, StringComparison.Ordinal);
        Assert.Null(releases.Approval("r-1"));
        Assert.Throws<WorseReleaseException>(() => Approval.Approve(releases, "r-1", new Actor("carol", ProfileMatrix.MlEngineer), Now, "  "));

        var carol = new Actor("carol", ProfileMatrix.MlEngineer);
        var approved = Approval.Approve(releases, "r-1", carol, Now, "store-0003 needs the sales shape for the promotion");

        Assert.Equal("store-0003 needs the sales shape for the promotion", approved.OverrideReason);
        var stored = releases.Approval("r-1")!;
        Assert.Equal(("carol", "store-0003 needs the sales shape for the promotion"), (stored.ApprovedBy.Name, stored.OverrideReason));
        Assert.StartsWith("worse: recall@30 fell", stored.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void A_release_that_is_not_worse_is_approved_with_its_verdict_and_no_override()
    {
        using var lake = new TestLake();
        var releases = Evaluated(lake);

        var approved = Approval.Approve(releases, "r-1", new Actor("carol", ProfileMatrix.MlEngineer), Now, "not needed");

        Assert.Null(approved.OverrideReason);
        Assert.StartsWith("not worse", releases.Approval("r-1")!.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void A_release_evaluated_against_a_release_no_longer_in_service_must_be_evaluated_again()
    {
        using var lake = new TestLake();
        var releases = new ReleaseStore(lake.Directory);
        releases.Propose(Record(), "");
        var figures = new QualityFigures { StockOuts = 4, Caught = 3, Alerts = 5, TrueAlerts = 4, SlotDays = 42 };
        releases.SaveMetrics(new EvaluationRecord
        {
            Release = "r-1",
            Against = "r-0",
            WeekFrom = new DateOnly(2026, 10, 19),
            Candidate = new Dictionary<string, QualityFigures> { ["store-a"] = figures },
            InService = new Dictionary<string, QualityFigures> { ["store-a"] = figures },
        });

        var e = Assert.Throws<InvalidOperationException>(() => Approval.Approve(releases, "r-1", new Actor("carol", ProfileMatrix.MlEngineer), Now));

        Assert.Contains("evaluated against r-0, but none is in service now", e.Message, StringComparison.Ordinal);
    }

    private static ReleaseStore Evaluated(TestLake lake, QualityFigures? candidate = null, QualityFigures? inService = null)
    {
        var releases = new ReleaseStore(lake.Directory);
        releases.Propose(Record(), "");
        var figures = new QualityFigures { StockOuts = 4, Caught = 3, Alerts = 5, TrueAlerts = 4, SlotDays = 42 };
        releases.SaveMetrics(new EvaluationRecord
        {
            Release = "r-1",
            WeekFrom = new DateOnly(2026, 10, 19),
            Candidate = new Dictionary<string, QualityFigures> { ["store-a"] = candidate ?? figures },
            InService = new Dictionary<string, QualityFigures> { ["store-a"] = inService ?? figures },
        });
        return releases;
    }

    private static ReleaseRecord Record() => TestReleaseRecords.Of("r-1", Now, new DateOnly(2026, 9, 7), new DateOnly(2026, 10, 19));
}

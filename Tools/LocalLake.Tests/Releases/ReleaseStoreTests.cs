using ShelfAgent.Cloud.Governance;
using ShelfAgent.LocalLake.Releases;

namespace ShelfAgent.LocalLake.Tests.Releases;

/// <summary>A release's evaluations: written once, a stale one kept aside so the release can be evaluated again.</summary>
public sealed class ReleaseStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 10, 19, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void MakeRoomForEvaluation_keeps_a_stale_evaluation_aside_when_the_release_in_service_has_changed()
    {
        using var lake = new TestLake();
        var releases = Proposed(lake, "r-2");
        releases.SaveMetrics(Metrics("r-2", against: "r-1"));

        var first = releases.MakeRoomForEvaluation("r-2", against: "r-3");

        Assert.Null(releases.Metrics("r-2"));
        Assert.Equal("r-1", ReadAside(first).Against);
        releases.SaveMetrics(Metrics("r-2", against: "r-3"));
        // A second change of the release in service: the first one kept aside stays as it was.
        var second = releases.MakeRoomForEvaluation("r-2", against: null);
        Assert.NotEqual(first, second);
        Assert.Equal("r-1", ReadAside(first).Against);
        Assert.Equal("r-3", ReadAside(second).Against);
    }

    [Fact]
    public void MakeRoomForEvaluation_refuses_a_second_evaluation_against_the_same_release()
    {
        using var lake = new TestLake();
        var releases = Proposed(lake, "r-2");
        releases.SaveMetrics(Metrics("r-2", against: "r-1"));

        var e = Assert.Throws<InvalidOperationException>(() => releases.MakeRoomForEvaluation("r-2", against: "r-1"));

        Assert.Contains("evaluated already", e.Message, StringComparison.Ordinal);
        Assert.Equal("r-1", releases.Metrics("r-2")!.Against);
    }

    [Fact]
    public void MakeRoomForEvaluation_refuses_to_evaluate_a_release_approved_on_its_evaluation()
    {
        using var lake = new TestLake();
        var releases = Proposed(lake, "r-2");
        releases.SaveMetrics(Metrics("r-2", against: null));
        Approval.Approve(releases, "r-2", new Actor("carol", ProfileMatrix.MlEngineer), Now);

        var e = Assert.Throws<InvalidOperationException>(() => releases.MakeRoomForEvaluation("r-2", against: "r-1"));

        Assert.Contains("approved by carol", e.Message, StringComparison.Ordinal);
        Assert.NotNull(releases.Metrics("r-2"));
    }

    [Fact]
    public void MakeRoomForEvaluation_has_nothing_to_do_before_the_first_evaluation()
    {
        using var lake = new TestLake();
        var releases = Proposed(lake, "r-2");

        Assert.Null(releases.MakeRoomForEvaluation("r-2", against: "r-1"));
    }

    private static ReleaseStore Proposed(TestLake lake, string id)
    {
        var releases = new ReleaseStore(lake.Directory);
        releases.Propose(TestReleaseRecords.Of(id, Now, new DateOnly(2026, 9, 7), new DateOnly(2026, 10, 19)), "");
        return releases;
    }

    private static EvaluationRecord Metrics(string id, string? against)
    {
        var figures = new QualityFigures { StockOuts = 4, Caught = 3, Alerts = 5, TrueAlerts = 4, SlotDays = 42 };
        return new EvaluationRecord
        {
            Release = id,
            Against = against,
            WeekFrom = new DateOnly(2026, 10, 19),
            Candidate = new Dictionary<string, QualityFigures> { ["store-a"] = figures },
            InService = new Dictionary<string, QualityFigures> { ["store-a"] = figures },
        };
    }

    private static EvaluationRecord ReadAside(string? path) =>
        System.Text.Json.JsonSerializer.Deserialize<EvaluationRecord>(File.ReadAllText(path!), ReleaseStore.Json)!;
}

using ShelfAgent.Cloud.Governance;
using ShelfAgent.LocalLake.Releases;

namespace ShelfAgent.LocalLake.Tests.Releases;

/// <summary>Rolling back by hand: the release in service falls back to the promoted one before; only an approver may.</summary>
public sealed class RollBackTests
{
    private static readonly DateTimeOffset Now = new(2026, 10, 28, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Rollback_by_hand_puts_the_previous_promoted_release_back_in_service_and_says_who_and_why()
    {
        using var lake = new TestLake();
        var releases = Promoted(lake, "r-1", "r-2");
        Assert.Equal("r-2", releases.InService());

        var undone = Rollout.RollBack(releases, "r-2", new Actor("carol", ProfileMatrix.MlEngineer), "too many false alarms in store-0004", Now);

        Assert.Equal(RolloutState.RolledBack, releases.Rollout("r-2")!.State);
        Assert.Equal("r-1", releases.InService());
        Assert.Equal(Now, undone.Decided);
        Assert.Contains("carol", undone.Reason, StringComparison.Ordinal);
        Assert.Contains("too many false alarms", undone.Reason, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => Rollout.RollBack(releases, "r-2", new Actor("carol", ProfileMatrix.MlEngineer), "again", Now));
    }

    [Theory]
    [InlineData(ProfileMatrix.DataScientist)]
    [InlineData(ProfileMatrix.StoreOperations)]
    public void Rollback_is_refused_for_a_profile_that_may_not_approve(string profile)
    {
        using var lake = new TestLake();
        var releases = Promoted(lake, "r-1");
        Assert.Throws<UnauthorizedAccessException>(() => Rollout.RollBack(releases, "r-1", new Actor("bob", profile), "why not", Now));
        Assert.Equal("r-1", releases.InService());
    }

    private static ReleaseStore Promoted(TestLake lake, params string[] ids)
    {
        var releases = new ReleaseStore(lake.Directory);
        foreach (var id in ids)
        {
            Directory.CreateDirectory(releases.Folder(id));
            releases.SaveRollout(new RolloutRecord
            {
                Release = id,
                State = RolloutState.Promoted,
                Canary = ["t-1"],
                Rest = ["t-2"],
                Started = Now.AddDays(-3),
                Decided = Now.AddDays(-1),
            });
        }

        return releases;
    }
}

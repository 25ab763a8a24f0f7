using ShelfAgent.Update;

namespace ShelfAgent.Tests.Update;

public sealed class UpdateRecordTests
{
    [Fact]
    public void Round_trips_through_its_text()
    {
        var record = new UpdateRecord("job-1", "1.0.0", "1.1.0", UpdatePhase.Switched, null, DateTimeOffset.Parse("2026-12-07T10:00:00Z"), 2);

        Assert.Equal(record, UpdateRecord.Decode(record.Encode(), out var problem));
        Assert.Null(problem);
    }

    [Fact]
    public void Reads_what_the_rollback_guard_writes()
    {
        // release/rollback.sh drops phase= and reason= and appends its own: the agent must read that file back.
        var text = "job=job-1\nfrom=1.0.0\nto=1.1.0\nstarts=3\nphase=rolled-back\nreason=the new version 1.1.0 could not keep running\n";

        var record = UpdateRecord.Decode(text, out _);

        Assert.Equal((UpdatePhase.RolledBack, "the new version 1.1.0 could not keep running"), (record!.Phase, record.Reason));
    }

    [Fact]
    public void A_partial_record_is_refused_with_a_problem()
    {
        Assert.Null(UpdateRecord.Decode("job=j\nphase=switched\n", out var problem));
        Assert.NotNull(problem);
    }
}

using ShelfAgent.Pipeline;

namespace ShelfAgent.Tests.Pipeline;

public sealed class RestartCountsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_run_that_ended_while_the_watchdog_was_not_fed_counts_as_a_watchdog_restart()
    {
        var next = new RestartCounts(RunState.Stalled, 1, 4, RestartCause.Unclean, Now.AddDays(-1)).AtStart(Now);
        Assert.Equal(new RestartCounts(RunState.Running, 2, 4, RestartCause.Watchdog, Now), next);
    }

    [Fact]
    public void A_run_that_ended_without_stopping_otherwise_counts_as_unclean()
    {
        var next = new RestartCounts(RunState.Running, 1, 0, null, null).AtStart(Now);
        Assert.Equal(new RestartCounts(RunState.Running, 1, 1, RestartCause.Unclean, Now), next);
    }

    [Fact]
    public void A_run_that_was_stopped_counts_nothing()
    {
        var before = new RestartCounts(RunState.Stopped, 3, 2, RestartCause.Watchdog, Now.AddDays(-1));
        Assert.Equal(before with { Run = RunState.Running }, before.AtStart(Now));
        Assert.Equal(RestartCounts.None with { Run = RunState.Running }, RestartCounts.None.AtStart(Now));
    }

    [Fact]
    public void The_file_round_trips()
    {
        var counts = new RestartCounts(RunState.Stalled, 2, 1, RestartCause.Watchdog, Now);
        var bytes = RestartCountsCodec.Encode(counts);
        Assert.Equal(
            """{"run":"stalled","watchdog":2,"unclean":1,"last":"watchdog","lastAt":"2026-12-07T12:00:00.000Z"}""",
            System.Text.Encoding.UTF8.GetString(bytes));
        Assert.Equal(counts, RestartCountsCodec.Decode(bytes, out var problem));
        Assert.Null(problem);
    }

    [Fact]
    public void A_damaged_file_is_reported_not_thrown()
    {
        Assert.Null(RestartCountsCodec.Decode("""{"run":"sleeping","watchdog":1,"unclean":0}"""u8, out var problem));
        Assert.NotNull(problem);
        Assert.Null(RestartCountsCodec.Decode("{\"run\""u8, out _));
    }
}

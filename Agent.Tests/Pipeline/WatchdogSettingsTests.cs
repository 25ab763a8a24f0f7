using ShelfAgent.Pipeline;

namespace ShelfAgent.Tests.Pipeline;

public sealed class WatchdogSettingsTests
{
    [Theory]
    [InlineData("60000000", null, 60)]
    [InlineData("60000000", "", 60)]
    [InlineData("60000000", "4242", 60)]
    [InlineData("3000000", "4242", 3)]
    public void Timeout_is_watchdog_usec_when_the_pid_is_ours_or_unset(string usec, string? pid, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), WatchdogSettings.Timeout(usec, pid, ownPid: 4242));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("0", null)]
    [InlineData("-5", null)]
    [InlineData("sixty", null)]
    [InlineData("60000000", "1")]
    [InlineData("60000000", "not-a-pid")]
    public void No_watchdog_when_systemd_did_not_ask_this_process_for_one(string? usec, string? pid)
    {
        Assert.Null(WatchdogSettings.Timeout(usec, pid, ownPid: 4242));
    }

    [Fact]
    public void Keep_alives_go_at_half_the_timeout()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), WatchdogSettings.PingPeriod(TimeSpan.FromSeconds(60)));
    }
}

using ShelfAgent.Update;

namespace ShelfAgent.Tests.Update;

public sealed class UpdateHealthTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(300);

    [Fact]
    public void Commits_once_readings_are_acknowledged_with_the_watchdog_fed() =>
        Assert.Equal(HealthVerdict.Commit, UpdateHealth.Decide(1, TimeSpan.FromSeconds(12), Window, true, true, null).Verdict);

    [Fact]
    public void Waits_inside_the_window_without_a_puback() =>
        Assert.Equal(HealthVerdict.Wait, UpdateHealth.Decide(1, TimeSpan.FromSeconds(299), Window, false, false, null).Verdict);

    [Theory]
    [InlineData(false, "did not connect to the broker within Update:HealthWindowSeconds (300 s)")]
    [InlineData(true, "connected but no readings were acknowledged (PUBACK) within Update:HealthWindowSeconds (300 s)")]
    public void Rolls_back_when_the_window_passes_without_a_puback(bool connected, string reason)
    {
        var (verdict, why) = UpdateHealth.Decide(1, Window, Window, false, connected, null);

        Assert.Equal(HealthVerdict.RollBack, verdict);
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }

    [Fact]
    public void Rolls_back_on_a_watchdog_stall_even_after_pubacks()
    {
        var (verdict, why) = UpdateHealth.Decide(1, TimeSpan.FromSeconds(40), Window, true, true, "SamplingStalled");

        Assert.Equal(HealthVerdict.RollBack, verdict);
        Assert.Contains("watchdog was not fed (SamplingStalled)", why, StringComparison.Ordinal);
    }

    [Fact]
    public void Rolls_back_a_crash_loop_during_the_window()
    {
        var (verdict, why) = UpdateHealth.Decide(UpdateHealth.MaxTrialStarts + 1, TimeSpan.FromSeconds(40), Window, false, false, null);

        Assert.Equal(HealthVerdict.RollBack, verdict);
        Assert.Contains("crash loop", why, StringComparison.Ordinal);
    }
}

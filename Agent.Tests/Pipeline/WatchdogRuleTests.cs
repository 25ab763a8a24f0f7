using Microsoft.Extensions.Time.Testing;
using ShelfAgent.Pipeline;

namespace ShelfAgent.Tests.Pipeline;

public sealed class WatchdogRuleTests
{
    // WatchdogSec=60 (the unit's), sampling every second, publishing every 2 s, keep-alive 60 s.
    private static readonly WatchdogBounds Bounds = WatchdogBounds.For(
        TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60));

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Bounds_are_half_the_timeout_unless_the_agents_own_pace_is_slower()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), Bounds.Sampling);
        Assert.Equal(TimeSpan.FromSeconds(120), Bounds.Publishing); // two keep-alives
        var slow = WatchdogBounds.For(TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromMinutes(10), slow.Sampling);
        Assert.Equal(TimeSpan.FromSeconds(30), slow.Publishing);
    }

    [Fact]
    public void Healthy_at_start_before_anything_has_happened()
    {
        var progress = new PipelineProgress(_time);
        Assert.Equal(WatchdogVerdict.Healthy, WatchdogRule.Check(progress.Snapshot(), Bounds));
    }

    [Fact]
    public void Healthy_while_sampling_commits_and_the_publisher_is_acknowledged()
    {
        var progress = new PipelineProgress(_time);
        progress.PublisherWorking();
        for (var i = 0; i < 100; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            progress.Committed();
            progress.Acknowledged();
            Assert.Equal(WatchdogVerdict.Healthy, WatchdogRule.Check(progress.Snapshot(), Bounds));
        }
    }

    [Fact]
    public void Sampling_stalls_when_no_commit_comes_within_its_bound()
    {
        var progress = new PipelineProgress(_time);
        progress.PublisherWaiting();
        _time.Advance(Bounds.Sampling);
        Assert.Equal(WatchdogVerdict.Healthy, WatchdogRule.Check(progress.Snapshot(), Bounds));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(WatchdogVerdict.SamplingStalled, WatchdogRule.Check(progress.Snapshot(), Bounds));

        progress.Committed();
        Assert.Equal(WatchdogVerdict.Healthy, WatchdogRule.Check(progress.Snapshot(), Bounds));
    }

    [Fact]
    public void An_idle_publisher_never_stalls_however_long_it_waits_for_a_connection_or_data()
    {
        var progress = new PipelineProgress(_time);
        progress.PublisherWaiting();
        for (var hour = 0; hour < 24; hour++)
        {
            _time.Advance(TimeSpan.FromHours(1));
            progress.Committed();
            Assert.Equal(WatchdogVerdict.Healthy, WatchdogRule.Check(progress.Snapshot(), Bounds));
        }
    }

    [Fact]
    public void A_publisher_with_work_stalls_when_nothing_is_acknowledged_within_its_bound()
    {
        var progress = new PipelineProgress(_time);
        progress.PublisherWaiting();
        _time.Advance(TimeSpan.FromHours(3));
        progress.Committed();
        // Work arrives after hours of waiting: its bound counts from now, not from the last acknowledgement.
        progress.PublisherWorking();
        Assert.Equal(WatchdogVerdict.Healthy, WatchdogRule.Check(progress.Snapshot(), Bounds));

        _time.Advance(Bounds.Publishing + TimeSpan.FromMilliseconds(1));
        progress.Committed();
        Assert.Equal(WatchdogVerdict.PublishingStalled, WatchdogRule.Check(progress.Snapshot(), Bounds));

        progress.Acknowledged();
        Assert.Equal(WatchdogVerdict.Healthy, WatchdogRule.Check(progress.Snapshot(), Bounds));
    }

    [Fact]
    public void A_publisher_that_goes_back_to_waiting_is_not_stalled()
    {
        var progress = new PipelineProgress(_time);
        progress.PublisherWorking();
        _time.Advance(Bounds.Publishing + TimeSpan.FromSeconds(1));
        progress.Committed();
        Assert.Equal(WatchdogVerdict.PublishingStalled, WatchdogRule.Check(progress.Snapshot(), Bounds));

        // The connection dropped: in-flight batches went back to the outbox and the publisher waits to reconnect.
        progress.PublisherWaiting();
        Assert.Equal(WatchdogVerdict.Healthy, WatchdogRule.Check(progress.Snapshot(), Bounds));
    }

    [Fact]
    public void A_sampling_stall_is_reported_before_a_publishing_stall()
    {
        var progress = new PipelineProgress(_time);
        progress.PublisherWorking();
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(WatchdogVerdict.SamplingStalled, WatchdogRule.Check(progress.Snapshot(), Bounds));
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using ShelfAgent.IotCore.Jobs;
using ShelfAgent.Tests.Fakes;

namespace ShelfAgent.Tests.IotCore.Jobs;

public sealed class JobsClientTests : IDisposable
{
    private readonly TempDirectory _dir = new("jobs-client");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly WatchedClock _clock = new();
    private readonly FakeMqttSession _session = new();
    private readonly JobTopics _topics = new("shelf-0042");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Keeps_running_and_asks_for_work_when_its_notify_next_SUBSCRIBE_timed_out()
    {
        // A loaded broker (shelf-sim's 1,000-device runs) let a SUBSCRIBE go unanswered; the client used to throw, which
        // stopped the agent's host.
        _session.TimeOutSubscribes = 2;
        var client = new JobsClient(_session, _topics, new JobDispatcher([]), new JobStateFile(_dir.File("jobs.json")), _clock, NullLogger.Instance);
        using var stop = new CancellationTokenSource();

        var running = client.RunAsync(stop.Token);
        // Each failure parks the client on the clock (the retry pause) before the next SUBSCRIBE: move it past each pause.
        for (var failure = 1; failure <= 2; failure++)
        {
            await Eventually.UntilAsync(() => _clock.Waits >= failure || running.IsCompleted, Patience, $"the client paused after failure {failure}");
            Assert.False(running.IsFaulted, running.Exception?.ToString());
            _clock.Advance(_clock.DueTimes[failure - 1]);
        }

        await Eventually.UntilAsync(() => _session.Published.Any(p => p.Topic == _topics.StartNext), Patience, "the client asked for work");
        Assert.Contains(_session.Published, p => p.Topic == _topics.StartNext);
        Assert.Contains(_topics.NotifyNext, _session.Subscriptions);
        Assert.Equal(3, _session.SubscribeCalls.Count(f => f == _topics.NotifyNext));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}

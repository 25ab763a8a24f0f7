using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ShelfAgent.IotCore.Jobs;
using ShelfAgent.Tests.Fakes;

namespace ShelfAgent.Tests.IotCore.Jobs;

public sealed class JobsClientTests : IDisposable
{
    private readonly TempDirectory _dir = new("jobs-client");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 18, 0, 0, TimeSpan.Zero));
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
        for (var i = 0; i < 50 && !_session.Published.Any(p => p.Topic == _topics.StartNext); i++)
        {
            Assert.False(running.IsFaulted, running.Exception?.ToString());
            await Task.Delay(10);
            _clock.Advance(TimeSpan.FromSeconds(30));
        }

        Assert.Contains(_session.Published, p => p.Topic == _topics.StartNext);
        Assert.Contains(_topics.NotifyNext, _session.Subscriptions);
        Assert.Equal(3, _session.SubscribeCalls.Count(f => f == _topics.NotifyNext));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}

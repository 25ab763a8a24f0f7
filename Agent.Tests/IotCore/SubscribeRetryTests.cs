using Microsoft.Extensions.Time.Testing;
using MQTTnet.Protocol;
using ShelfAgent.IotCore;
using ShelfAgent.Tests.Fakes;

namespace ShelfAgent.Tests.IotCore;

public sealed class SubscribeRetryTests
{
    private const string Filter = "$aws/things/t/jobs/notify-next";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 18, 0, 0, TimeSpan.Zero));
    private readonly FakeMqttSession _session = new();
    private readonly List<TimeSpan> _pauses = [];

    private Task<MqttQualityOfServiceLevel?[]> SubscribeAsync(CancellationToken cancellationToken = default) =>
        SubscribeRetry.SubscribeAsync(
            _session, Filter, MqttQualityOfServiceLevel.AtLeastOnce, _ => ValueTask.CompletedTask, _clock, (_, pause) => _pauses.Add(pause), cancellationToken);

    // Moves the fake clock on until the subscription is made (bounded: 20 pauses of at most 5 min).
    private async Task<MqttQualityOfServiceLevel?[]> CompleteAsync(Task<MqttQualityOfServiceLevel?[]> subscribing)
    {
        for (var i = 0; i < 20 && !subscribing.IsCompleted; i++)
        {
            await Task.Yield();
            _clock.Advance(TimeSpan.FromMinutes(5));
        }

        return await subscribing.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Subscribes_again_when_the_SUBACK_timed_out()
    {
        _session.TimeOutSubscribes = 3;

        var granted = await CompleteAsync(SubscribeAsync());

        Assert.Equal([MqttQualityOfServiceLevel.AtLeastOnce], granted);
        Assert.Equal(4, _session.SubscribeCalls.Count);
        Assert.Contains(Filter, _session.Subscriptions);
        Assert.Equal(3, _pauses.Count);
        // Full jitter under a growing ceiling: 5 s, 10 s, 20 s.
        Assert.All(_pauses.Zip([5, 10, 20]), p => Assert.InRange(p.First, TimeSpan.Zero, TimeSpan.FromSeconds(p.Second)));
    }

    [Fact]
    public async Task Returns_a_refusal_without_asking_again()
    {
        _session.Refuse.Add(Filter);

        var granted = await SubscribeAsync();

        Assert.Equal([null], granted);
        Assert.Single(_session.SubscribeCalls);
        Assert.Empty(_pauses);
    }

    [Fact]
    public async Task Stops_waiting_when_cancelled()
    {
        _session.TimeOutSubscribes = int.MaxValue;
        using var stop = new CancellationTokenSource();

        var subscribing = SubscribeAsync(stop.Token);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => subscribing.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData(typeof(MQTTnet.Exceptions.MqttCommunicationTimedOutException), true)]
    [InlineData(typeof(TimeoutException), true)]
    [InlineData(typeof(ShelfAgent.Transport.MqttNotConnectedException), true)]
    [InlineData(typeof(ArgumentException), false)]
    [InlineData(typeof(ObjectDisposedException), false)]
    public void Retries_only_what_a_later_SUBSCRIBE_may_get_past(Type exception, bool transient)
    {
        var e = exception == typeof(ObjectDisposedException) ? new ObjectDisposedException("transport") : (Exception)Activator.CreateInstance(exception)!;

        Assert.Equal(transient, SubscribeRetry.IsTransient(e));
    }
}

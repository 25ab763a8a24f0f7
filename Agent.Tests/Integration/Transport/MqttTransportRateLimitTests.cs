using System.Text;
using MQTTnet.Protocol;
using ShelfAgent.Transport;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration.Transport;

/// <summary>The rate limits as the socket sees them, against a real mosquitto over mutual TLS.</summary>
public sealed class MqttTransportRateLimitTests(SharedBroker shared, ITestOutputHelper output) : IClassFixture<SharedBroker>
{
    [Fact]
    public async Task No_second_on_the_wire_exceeds_the_limits_across_a_reconnect()
    {
        const int Budget = 24_000;
        const int PerSecond = 50;
        await using var env = await IntegrationEnvironment.StartAsync(shared, output);
        var sub = await env.SubscribeAsync("dt/shelf/s1/shelf-paced/#");
        await using var cable = new TcpCable(env.Broker.Port);
        var options = env.ClientOptions("shelf-paced");
        options.Port = cable.Port;
        options.MaxBytesPerSecond = Budget;
        options.MaxPublishesPerSecond = PerSecond;
        // A wide guard: this test checks one-second spans of times seen by a relay on a shared CI machine.
        options.RateLimitGuard = TimeSpan.FromMilliseconds(250);
        await using var client = env.Client(options);
        await client.StartAsync(default);
        await client.WaitConnectedAsync(TestTransports.Patience());

        var payload = new byte[1_000];
        var acked = 0;
        // Like the outbox: a publish whose connection ended before its PUBACK is sent again.
        async Task PublishUntilAcked(int i)
        {
            var body = Encoding.ASCII.GetBytes($"m{i:00}").Concat(payload).ToArray();
            while (true)
            {
                try
                {
                    await client.PublishAsync(
                        "dt/shelf/s1/shelf-paced/telemetry", body, MqttQualityOfServiceLevel.AtLeastOnce, false, TestTransports.Patience());
                    Interlocked.Increment(ref acked);
                    return;
                }
                catch (MqttNotConnectedException)
                {
                }
            }
        }

        var publishes = Enumerable.Range(0, 60).Select(PublishUntilAcked).ToList();
        await env.UntilAsync(() => Volatile.Read(ref acked) >= 20, "20 publishes acknowledged");

        // Cut the cable mid-stream: what was unacknowledged goes again, through the same limits, on the new connection.
        await cable.SeverAsync();
        cable.Reconnect();
        await Task.WhenAll(publishes);

        await env.UntilAsync(() => sub.Messages.Select(x => x.Payload[..3]).Distinct().Count() == 60, "the 60 messages arrived");
        // Publishes are the records of ≥ 1 KB (each PUBLISH is one TLS record: WithoutPacketFragmentation).
        var records = cable.ClientRecords.Where(r => r.Bytes >= 1_000).Select(r => (r.At, PublishBytes: r.Bytes, Publishes: 1)).ToList();
        output.WriteLine($"{records.Count} PUBLISH records over {(records[^1].At - records[0].At).TotalSeconds:0.00} s");
        Assert.True(records.Count >= 60);
        Assert.InRange(WorstSecond(records, w => w.PublishBytes), 1, Budget);
        Assert.InRange(WorstSecond(records, w => w.Publishes), 1, PerSecond);
    }

    [Fact]
    public async Task A_subscription_is_not_held_behind_publishes_waiting_for_the_limits()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared, output);
        var (client, publishes) = await PublishAtTenKilobytesPerSecondAsync(env, "shelf-paced-sub", 30);
        await using var _ = client;

        var granted = await client.SubscribeAsync(
            "cmd/shelf/s1/shelf-paced-sub/#", MqttQualityOfServiceLevel.AtLeastOnce, _ => ValueTask.CompletedTask, TestTransports.Patience());

        Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, Assert.Single(granted));
        Assert.True(client.InFlightCount >= 10, $"only {client.InFlightCount} publishes were still waiting when SUBACK came");
        await Task.WhenAll(publishes);
    }

    [Fact]
    public async Task WaitForSendRoom_returns_once_few_publishes_wait_for_the_limits()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared, output);
        var (client, publishes) = await PublishAtTenKilobytesPerSecondAsync(env, "shelf-room", 20);
        await using var _ = client;

        await client.WaitForSendRoomAsync(2, TestTransports.Patience());

        // Two may still be queued behind the limits, a few more written and not yet acknowledged.
        Assert.True(publishes.Count(p => !p.IsCompleted) <= 2 + 3, $"{publishes.Count(p => !p.IsCompleted)} still pending");
        await Task.WhenAll(publishes);
    }

    [Fact]
    public async Task Stopping_with_publishes_held_by_the_limits_is_an_orderly_disconnect()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared, output);
        var sub = await env.SubscribeAsync("dt/shelf/s1/shelf-stop/status");
        var options = env.ClientOptions("shelf-stop");
        options.MaxBytesPerSecond = 10_000;
        options.Will = new MqttWill("dt/shelf/s1/shelf-stop/status", "{\"online\":false}"u8.ToArray());
        var client = env.Client(options);
        await client.ConnectOnceAsync(TestTransports.Patience());
        // Eight seconds of publishes at 10 KB/s: more than the five seconds a stop waits for DISCONNECT to be written.
        var publishes = Enumerable.Range(0, 80)
            .Select(_ => client.PublishAsync(
                "dt/shelf/s1/shelf-stop/telemetry", new byte[1_000], MqttQualityOfServiceLevel.AtLeastOnce, false, TestTransports.Patience()))
            .ToList();

        await client.StopAsync(TestTransports.Patience());
        await client.DisposeAsync();

        // DISCONNECT went ahead of the held publishes, so the broker did not publish the will: once the broker has
        // closed the connection, a marker sent after it is the first thing on the status topic.
        await env.UntilAsync(() => env.Broker.ReadLog().Contains("Client shelf-stop disconnected.", StringComparison.Ordinal), "the broker saw the client go");
        await env.PublishAsync("dt/shelf/s1/shelf-stop/status", "marker");
        await env.UntilAsync(() => sub.Messages.Count > 0, "the marker arrived");
        Assert.Equal(["marker"], sub.Messages.Select(m => m.Payload));
        await Assert.ThrowsAsync<MqttNotConnectedException>(() => Task.WhenAll(publishes));
    }

    [Fact]
    public async Task Qos0_publishes_wait_for_room_instead_of_queuing_without_bound()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared, output);
        var sub = await env.SubscribeAsync("dt/shelf/s1/shelf-qos0/#");
        var options = env.ClientOptions("shelf-qos0");
        options.MaxBytesPerSecond = 10_000;
        options.MaxInFlight = 5;
        await using var client = env.Client(options);
        await client.ConnectOnceAsync(TestTransports.Patience());

        var publishes = Enumerable.Range(0, 20)
            .Select(i => client.PublishAsync(
                "dt/shelf/s1/shelf-qos0/telemetry",
                Encoding.ASCII.GetBytes($"q{i:00}").Concat(new byte[1_000]).ToArray(),
                MqttQualityOfServiceLevel.AtMostOnce,
                false,
                TestTransports.Patience()))
            .ToList();

        // At most MaxInFlight (5) are queued behind the limits and a couple written; the rest wait to be queued.
        Assert.True(publishes.Count(p => !p.IsCompleted) >= 10, $"only {publishes.Count(p => !p.IsCompleted)} of 20 QoS 0 publishes were waiting");
        await Task.WhenAll(publishes);
        await env.UntilAsync(() => sub.Messages.Count == 20, "the 20 QoS 0 messages arrived");
    }

    // A connected client limited to 10 KB/s with `count` publishes of 1 KB handed to it (0.1 s each).
    private static async Task<(MqttTransport Client, List<Task> Publishes)> PublishAtTenKilobytesPerSecondAsync(
        IntegrationEnvironment env, string clientId, int count)
    {
        var options = env.ClientOptions(clientId);
        options.MaxBytesPerSecond = 10_000;
        var client = env.Client(options);
        await client.ConnectOnceAsync(TestTransports.Patience());
        var publishes = Enumerable.Range(0, count)
            .Select(_ => client.PublishAsync(
                $"dt/shelf/s1/{clientId}/telemetry", new byte[1_000], MqttQualityOfServiceLevel.AtLeastOnce, false, TestTransports.Patience()))
            .ToList();
        return (client, publishes);
    }

    // The most in any one-second span of write times (spans starting at each write cover every case).
    private static long WorstSecond(
        List<(TimeSpan At, int PublishBytes, int Publishes)> writes, Func<(TimeSpan At, int PublishBytes, int Publishes), long> amount)
    {
        long worst = 0, sum = 0;
        for (int start = 0, end = 0; start < writes.Count; start++)
        {
            while (end < writes.Count && writes[end].At < writes[start].At + TimeSpan.FromSeconds(1))
            {
                sum += amount(writes[end++]);
            }

            worst = Math.Max(worst, sum);
            sum -= amount(writes[start]);
        }

        return worst;
    }
}

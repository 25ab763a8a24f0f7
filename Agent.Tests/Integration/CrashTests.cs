using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration;

/// <summary>
/// Store-and-forward under abuse: the agent process is SIGKILLed at random moments 20 times while the
/// broker is restarted 5 times; an independent subscriber (mosquitto_sub) records every (thing, seq).
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int Kills = 20;
    private const int BrokerRestarts = 5;

    [Fact]
    public async Task Nothing_is_lost_and_duplicates_stay_within_the_in_flight_window_when_killed_20_times_and_the_broker_restarts_5_times()
    {
        await using var env = await IntegrationEnvironment.StartAsync(output: output);
        var device = await env.DeviceAsync("shelf-crash-20", c => c.Slots(4).Set("Sampling:IntervalMs", 50).Set("Publish:IntervalMs", 100));
        var sub = await env.SubscribeAsync("dt/shelf/#");
        var outbox = device.Outbox;
        var random = new Random(20261122);
        var integrity = new List<string>();

        // The random pauses are the test's subject (a kill or an outage at any moment), not waits for something.
        for (var kill = 1; kill <= Kills; kill++)
        {
            var agent = env.StartAgent(device);
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(300, 2500)));
            if (kill % (Kills / BrokerRestarts) == 0)
            {
                await env.StopBrokerAsync();
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(200, 1500)));
                await env.StartBrokerAgainAsync();
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 1500)));
            }

            await agent.KillAsync();
            integrity.Add(OutboxFileProbe.IntegrityCheck(outbox));
        }

        // A last, clean run drains what the kills left behind.
        var last = env.StartAgent(device);
        await last.WaitForAsync(() => Drained(outbox, sub), "the buffer drained");
        await last.StopAsync();

        var received = TelemetryLog.Seqs(sub.Messages);
        var gaps = TelemetryLog.Gaps(received.Concat(OutboxFileProbe.RemainingSeqs(outbox)));
        var duplicates = received.Count - received.Distinct().Count();
        output.WriteLine(
            $"received {received.Count} readings, {received.Distinct().Count()} distinct, max seq {received.Max()}, " +
            $"duplicates {duplicates}, integrity: {string.Join(",", integrity.Distinct())}");

        Assert.All(integrity, r => Assert.Equal("ok", r));
        Assert.True(gaps.Count == 0, $"missing seq: {string.Join(",", gaps.Take(30))}");
        // At most the in-flight window may be sent twice per crash or outage: 100 batches' worth is a loose
        // ceiling; in practice it is far less because the client waits for PUBACKs it already has.
        Assert.InRange(duplicates, 0, (Kills + BrokerRestarts) * 100 * 4);
    }

    // Drained when readings arrived (under load the killed runs may not have got that far), everything committed
    // before this run is acknowledged and what is left is live data.
    private static bool Drained(string outbox, MosquittoSubscriber sub)
    {
        var left = OutboxFileProbe.RemainingSeqs(outbox);
        var received = TelemetryLog.Seqs(sub.Messages);
        return received.Count > 0 && left.Count < 40 && TelemetryLog.Gaps(received.Concat(left)).Count == 0;
    }
}

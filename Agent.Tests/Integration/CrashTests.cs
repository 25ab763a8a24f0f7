using Xunit.Abstractions;
using ShelfAgent.LocalIot.Broker;

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
        using var dir = new TempDirectory("crash");
        await using var broker = await MosquittoBroker.StartAsync();
        await using var sub = await MosquittoSubscriber.StartAsync(broker, "dt/shelf/#");
        var (cert, key) = broker.IssueDevice("shelf-crash-20");
        var outbox = dir.File("outbox.db");
        var config = AgentConfigFile.Write(dir.File("agent.json"), broker, "shelf-crash-20", "store-0042", cert, key, outbox, slots: 4, samplingMs: 50, publishMs: 100);
        var random = new Random(20261122);
        var integrity = new List<string>();

        for (var kill = 1; kill <= Kills; kill++)
        {
            await using var agent = AgentProcess.Start("run", "--config", config);
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(300, 2500)));
            if (kill % (Kills / BrokerRestarts) == 0)
            {
                await broker.StopAsync();
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(200, 1500)));
                await broker.StartAgainAsync();
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 1500)));
            }

            await agent.KillAsync();
            integrity.Add(OutboxFileProbe.IntegrityCheck(outbox));
        }

        // A last, clean run drains what the kills left behind.
        await using (var last = AgentProcess.Start("run", "--config", config))
        {
            var drained = await WaitUntilDrainedAsync(outbox, sub, TimeSpan.FromSeconds(60));
            await last.StopAsync();
            Assert.True(drained, "the buffer did not drain:\n" + last.Output);
        }

        var received = TelemetryLog.Seqs(sub.Messages);
        var gaps = TelemetryLog.Gaps(received.Concat(OutboxFileProbe.RemainingSeqs(outbox)));
        var duplicates = received.Count - received.Distinct().Count();
        output.WriteLine($"received {received.Count} readings, {received.Distinct().Count()} distinct, max seq {received.Max()}, duplicates {duplicates}, integrity: {string.Join(",", integrity.Distinct())}");

        Assert.All(integrity, r => Assert.Equal("ok", r));
        Assert.True(gaps.Count == 0, $"missing seq: {string.Join(",", gaps.Take(30))}");
        // At most the in-flight window may be sent twice per crash or outage: 100 batches' worth is a loose
        // ceiling; in practice it is far less because the client waits for PUBACKs it already has.
        Assert.InRange(duplicates, 0, (Kills + BrokerRestarts) * 100 * 4);
    }

    private static async Task<bool> WaitUntilDrainedAsync(string outbox, MosquittoSubscriber sub, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var left = OutboxFileProbe.RemainingSeqs(outbox);
            var received = TelemetryLog.Seqs(sub.Messages).ToHashSet();
            // Drained when everything committed before this run is acknowledged and the rest is live data.
            if (left.Count < 40 && TelemetryLog.Gaps(received.Concat(left)).Count == 0)
            {
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }
}

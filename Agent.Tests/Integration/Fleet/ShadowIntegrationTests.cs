using System.Text.Json.Nodes;
using ShelfAgent.Tests.Integration.AwsIot;

namespace ShelfAgent.Tests.Integration.Fleet;

/// <summary>
/// The real agent process against the local AWS IoT Core (issue 14, Proof: "shadow (delta applied and persisted, invalid
/// delta refused and reported, stale version, offline boot)").
/// </summary>
public sealed class ShadowIntegrationTests
{
    private const string Thing = "shelf-shadow-1";
    private const string Store = "store-7";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Desired_changes_are_applied_without_restart_refused_when_invalid_stale_ones_ignored_and_an_offline_boot_keeps_them()
    {
        await using var core = await LocalIotCore.StartAsync();
        await core.RegisterThingAsync(Thing, new Dictionary<string, string> { ["storeId"] = Store });
        var id = await core.IssueThingCertificateAsync(Thing);
        using var dir = new TempDirectory("shadow-it");
        var buffer = dir.File("outbox.db");
        var config = WriteConfig(dir.File("agent.json"), core.Broker, id, buffer, core.Port);

        await using (var agent = AgentProcess.Start("run", "--config", config))
        {
            // get on connect, then the first report creates the shadow with the effective settings.
            var first = await ReportedAsync(core, agent, r => r?["Sampling"]?["IntervalMs"]?.GetValue<int>() == 1000);
            Assert.Equal("SKU-1", first["Slots"]!["S1"]!["Sku"]!.GetValue<string>());
            Assert.False(string.IsNullOrEmpty(first["device"]!["configHash"]!.GetValue<string>()));
            var hashBefore = first["device"]!["configHash"]!.GetValue<string>();

            // Valid and invalid together: the valid key is applied in the running process and reported back, the
            // invalid one refused with agent.json's reason and left unapplied.
            await core.UpdateDesiredAsync(Thing, Parse("""{"Sampling":{"IntervalMs":200},"Publish":{"IntervalMs":0},"Slots":{"S1":{"LowStockAt":6}}}"""));
            var applied = await ReportedAsync(core, agent, r => r?["Sampling"]?["IntervalMs"]?.GetValue<int>() == 200 && r["device"]?["configRefused"] is JsonArray);
            Assert.Equal(6, applied["Slots"]!["S1"]!["LowStockAt"]!.GetValue<int>());
            Assert.Equal(1000, applied["Publish"]!["IntervalMs"]!.GetValue<int>());
            var refused = Assert.Single(applied["device"]!["configRefused"]!.AsArray());
            Assert.Equal("Publish:IntervalMs", refused!["key"]!.GetValue<string>());
            Assert.StartsWith("must be from 10 to 3600000", refused["reason"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.StartsWith("Publish:IntervalMs: must be from 10", applied["device"]!["lastConfigError"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.NotEqual(hashBefore, applied["device"]!["configHash"]!.GetValue<string>());
            Assert.False(agent.HasExited);
            // The sampling loop takes it between two rounds of the same process.
            await WaitAsync(() => agent.Output.Contains("Sampling reconfigured: Sampling:IntervalMs 200", StringComparison.Ordinal), agent);
            Assert.Contains(core.Shadow(Thing)!["state"]!["delta"]!.AsObject(), p => p.Key == "Publish");
            Assert.DoesNotContain(core.Shadow(Thing)!["state"]!["delta"]!.AsObject(), p => p.Key == "Sampling");

            // Persisted beside the buffer.
            var persisted = Parse(await File.ReadAllTextAsync(dir.File("desired-config.json")));
            Assert.Equal("200", persisted["Sampling"]!["IntervalMs"]!.GetValue<string>());

            // A stale delta (an older version, as a reordered or replayed message would be) is ignored.
            var service = core.Broker.IssueDevice(LocalIotCore.ServiceIdentity);
            await using var forger = await MqttTestClient.ConnectAsync(core.Host, core.Port, core.CaFile, service.CertFile, service.KeyFile, "stale-delta-sender", CancellationToken.None);
            await forger.PublishAsync($"$aws/things/{Thing}/shadow/update/delta", """{"version":1,"timestamp":1,"state":{"Sampling":{"IntervalMs":5000}}}""", CancellationToken.None);
            await WaitAsync(() => agent.Output.Contains("Stale shadow delta (version 1", StringComparison.Ordinal), agent);
            Assert.DoesNotContain("Sampling:IntervalMs 5000", agent.Output, StringComparison.Ordinal);
            await agent.StopAsync();
        }

        // Offline boot: no broker reachable; the persisted desired state is in effect from the start.
        var offline = WriteConfig(dir.File("agent-offline.json"), core.Broker, id, buffer, FreePort.Next());
        await using (var agent = AgentProcess.Start("run", "--config", offline))
        {
            await WaitAsync(() => agent.Output.Contains("Remotely accepted configuration from", StringComparison.Ordinal), agent);
            Assert.Contains("Sampling:IntervalMs=200", agent.Output, StringComparison.Ordinal);
            Assert.Contains("Slots:S1:LowStockAt=6", agent.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Publish:IntervalMs=0", agent.Output, StringComparison.Ordinal);
            await agent.StopAsync();
        }
    }

    private static string WriteConfig(string path, MosquittoBroker broker, IssuedIdentity id, string buffer, int port)
    {
        AgentConfigFile.Write(path, broker, Thing, Store, id.CertFile, id.KeyFile, buffer, slots: 2, samplingMs: 1000, publishMs: 1000);
        var json = File.ReadAllText(path)
            .Replace($"\"Port\": {broker.Port}", $"\"Port\": {port}", StringComparison.Ordinal)
            .Replace("\"Logging\":", "\"Shadow\": { \"Enabled\": true, \"ReportIntervalSeconds\": 5 },\n  \"Logging\":", StringComparison.Ordinal);
        File.WriteAllText(path, json);
        return path;
    }

    private static JsonObject Parse(string json) => (JsonObject)JsonNode.Parse(json)!;

    private static async Task<JsonObject> ReportedAsync(LocalIotCore core, AgentProcess agent, Func<JsonObject?, bool> done)
    {
        JsonObject? reported = null;
        await WaitAsync(
            () =>
            {
                reported = core.Shadow(Thing)?["state"]?["reported"] as JsonObject;
                return done(reported);
            },
            agent);
        return reported!;
    }

    private static async Task WaitAsync(Func<bool> condition, AgentProcess agent)
    {
        using var bound = new CancellationTokenSource(Bound);
        while (!condition())
        {
            Assert.False(agent.HasExited, agent.Output);
            if (bound.IsCancellationRequested)
            {
                Assert.Fail("not reached within the bound; agent output:\n" + agent.Output);
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }
}

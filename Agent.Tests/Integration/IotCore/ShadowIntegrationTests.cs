using System.Text.Json.Nodes;
using ShelfAgent.Contract;
using ShelfAgent.LocalIot;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration.IotCore;

/// <summary>
/// The real agent process against the local AWS IoT Core (issue 14, Proof: "shadow (delta applied and persisted, invalid
/// delta refused and reported, stale version, offline boot)").
/// </summary>
public sealed class ShadowIntegrationTests(ITestOutputHelper output)
{
    private const string Thing = "shelf-shadow-1";

    [Fact]
    public async Task Desired_changes_are_applied_without_restart_refused_when_invalid_stale_ones_ignored_and_an_offline_boot_keeps_them()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, output);
        var core = env.IotCore;
        var device = await ShadowDeviceAsync(env);

        var agent = env.StartAgent(device);
        // get on connect, then the first report creates the shadow with the effective settings.
        var first = await ReportedAsync(core, agent, r => r?["Sampling"]?["IntervalMs"]?.GetValue<int>() == 1000);
        Assert.Equal("SKU-1", first["Slots"]!["S1"]!["Sku"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(first["device"]!["configHash"]!.GetValue<string>()));
        var hashBefore = first["device"]!["configHash"]!.GetValue<string>();

        // Valid and invalid together: the valid key is applied in the running process and reported back, the
        // invalid one refused with agent.json's reason and left unapplied.
        await core.UpdateDesiredAsync(Thing, Parse("""{"Sampling":{"IntervalMs":200},"Publish":{"IntervalMs":0},"Slots":{"S1":{"LowStockAt":6}}}"""));
        var applied = await ReportedAsync(
            core, agent, r => r?["Sampling"]?["IntervalMs"]?.GetValue<int>() == 200 && r["device"]?["configRefused"] is JsonArray);
        Assert.Equal(6, applied["Slots"]!["S1"]!["LowStockAt"]!.GetValue<int>());
        Assert.Equal(1000, applied["Publish"]!["IntervalMs"]!.GetValue<int>());
        var refused = Assert.Single(applied["device"]!["configRefused"]!.AsArray());
        Assert.Equal("Publish:IntervalMs", refused!["key"]!.GetValue<string>());
        Assert.StartsWith("must be from 10 to 3600000", refused["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("Publish:IntervalMs: must be from 10", applied["device"]!["lastConfigError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotEqual(hashBefore, applied["device"]!["configHash"]!.GetValue<string>());
        Assert.False(agent.HasExited);
        // The sampling loop takes it between two rounds of the same process.
        await agent.WaitForOutputAsync("Sampling reconfigured: Sampling:IntervalMs 200");
        Assert.Contains(core.Shadow(Thing)!["state"]!["delta"]!.AsObject(), p => p.Key == "Publish");
        Assert.DoesNotContain(core.Shadow(Thing)!["state"]!["delta"]!.AsObject(), p => p.Key == "Sampling");

        // Persisted beside the buffer.
        var persisted = Parse(await File.ReadAllTextAsync(device.File("desired-config.json")));
        Assert.Equal("200", persisted["Sampling"]!["IntervalMs"]!.GetValue<string>());

        // A stale delta (an older version, as a reordered or replayed message would be) is ignored.
        var service = core.Broker.IssueDevice(LocalIotCore.ServiceIdentity);
        await using var forger = await MqttTestClient.ConnectAsync(
            core.Host, core.Port, core.CaFile, service.CertFile, service.KeyFile, "stale-delta-sender", CancellationToken.None);
        await forger.PublishAsync(
            $"$aws/things/{Thing}/shadow/update/delta",
            """{"version":1,"timestamp":1,"state":{"Sampling":{"IntervalMs":5000}}}""",
            CancellationToken.None);
        await agent.WaitForOutputAsync("Stale shadow delta (version 1");
        Assert.DoesNotContain("Sampling:IntervalMs 5000", agent.Output, StringComparison.Ordinal);
        await agent.StopAsync();

        // Offline boot: no broker reachable; the persisted desired state is in effect from the start.
        var offline = env.StartAgent(["run", "--config", device.WriteConfig("agent-offline.json", c => c.Set("Mqtt:Port", FreePort.Next()))]);
        await offline.WaitForOutputAsync("Remotely accepted configuration from");
        Assert.Contains("Sampling:IntervalMs=200", offline.Output, StringComparison.Ordinal);
        Assert.Contains("Slots:S1:LowStockAt=6", offline.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Publish:IntervalMs=0", offline.Output, StringComparison.Ordinal);
        await offline.StopAsync();
    }

    [Fact]
    public async Task A_desired_demand_profile_is_applied_without_restart_persisted_reported_by_hash_and_an_invalid_one_refused()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, output);
        var core = env.IotCore;
        var device = await ShadowDeviceAsync(env, c => c.Set("Stock:ForecastIntervalMinutes", 1));
        var service = core.Broker.IssueDevice(LocalIotCore.ServiceIdentity);
        await using var cloud = await MqttTestClient.ConnectAsync(
            core.Host, core.Port, core.CaFile, service.CertFile, service.KeyFile, "forecast-reader", CancellationToken.None);
        var forecastTopic = device.Topic("forecast");
        await cloud.SubscribeAsync(forecastTopic, CancellationToken.None);
        var profile = new ShelfAgent.Stock.Forecasting.DemandProfile(
            device.Store, null, null, "SKU-1", new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), 8, Enumerable.Repeat(2.5, 168).ToArray());
        var hash = DesiredDemandProfile.Hash(profile);

        var agent = env.StartAgent(device);
        await ReportedAsync(core, agent, r => r?["Sampling"]?["IntervalMs"]?.GetValue<int>() == 1000);

        // S1's profile is valid; S2's names the SKU of S1 (the parser's and the slot's rules refuse it).
        var wrongSku = DesiredDemandProfile.Encode(profile);
        var desired = new JsonObject { ["DemandProfiles"] = new JsonObject { ["S1"] = DesiredDemandProfile.Encode(profile), ["S2"] = wrongSku } };
        await core.UpdateDesiredAsync(Thing, desired);

        var applied = await ReportedAsync(
            core, agent, r => r?["DemandProfiles"]?["S1"]?["hash"]?.GetValue<string>() == hash && r["device"]?["configRefused"] is JsonArray);
        Assert.Equal(168, applied["DemandProfiles"]!["S1"]!["hours"]!.GetValue<int>());
        var refused = Assert.Single(applied["device"]!["configRefused"]!.AsArray());
        Assert.Equal("DemandProfiles:S2", refused!["key"]!.GetValue<string>());
        Assert.Contains("is for sku \"SKU-1\" but slot S2 holds \"SKU-2\"", refused["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        // The running pipeline takes it: the next forecast names S1's shape as the cloud's.
        await agent.WaitForOutputAsync("demand profiles: S1=cloud, S2=");
        Assert.False(agent.HasExited);
        await agent.WaitForAsync(
            () => cloud.Seen().Any(m => m.Topic == forecastTopic && ProfileOf(m, "S1") == "cloud"),
            "a forecast named S1's profile the cloud's",
            TimeSpan.FromSeconds(150));
        Assert.All(cloud.Seen().Where(m => m.Topic == forecastTopic), m => Assert.NotEqual("cloud", ProfileOf(m, "S2")));

        var persisted = Parse(await File.ReadAllTextAsync(device.File("desired-config.json")));
        Assert.Equal("SKU-1", persisted["DemandProfiles"]!["S1"]!["sku"]!.GetValue<string>());
        Assert.Null(persisted["DemandProfiles"]!["S2"]);
        await agent.StopAsync();

        // Offline boot: the persisted profile is in effect from the start.
        var offline = env.StartAgent(["run", "--config", device.WriteConfig("agent-offline.json", c => c.Set("Mqtt:Port", FreePort.Next()))]);
        await offline.WaitForOutputAsync("Remotely accepted configuration from");
        Assert.Contains($"DemandProfiles:S1=profile {hash}", offline.Output, StringComparison.Ordinal);
        await offline.StopAsync();
    }

    // Two slots, sampling and publishing every second, the shadow on (the fixture is 127.0.0.1, so Shadow:Enabled must say so).
    private static Task<TestDevice> ShadowDeviceAsync(IntegrationEnvironment env, Action<AgentJson>? configure = null) => env.DeviceAsync(
        Thing,
        c =>
        {
            c.Slots(2)
                .Set("Sampling:IntervalMs", 1000)
                .Set("Publish:IntervalMs", 1000)
                .Set("Shadow", new JsonObject { ["Enabled"] = true, ["ReportIntervalSeconds"] = 5 });
            configure?.Invoke(c);
        },
        store: "store-7");

    private static string? ProfileOf(MQTTnet.MqttApplicationMessage message, string slot)
        => (JsonNode.Parse(System.Text.Encoding.UTF8.GetString(System.Buffers.BuffersExtensions.ToArray(message.Payload)))?["slots"] as JsonArray)
            ?.FirstOrDefault(s => s?["slot"]?.GetValue<string>() == slot)?["profile"]?.GetValue<string>();

    private static JsonObject Parse(string json) => (JsonObject)JsonNode.Parse(json)!;

    private static async Task<JsonObject> ReportedAsync(LocalIotCore core, AgentProcess agent, Func<JsonObject?, bool> done)
    {
        JsonObject? reported = null;
        await agent.WaitForAsync(() => done(reported = core.Shadow(Thing)?["state"]?["reported"] as JsonObject), "the shadow's reported state is as expected");
        return reported!;
    }
}

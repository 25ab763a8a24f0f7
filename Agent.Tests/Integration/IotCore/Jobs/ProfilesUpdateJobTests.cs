using System.Text.Json.Nodes;
using ShelfAgent.LocalIot;
using ShelfAgent.LocalIot.Jobs;
using ShelfAgent.Tests.Profiles;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration.IotCore.Jobs;

/// <summary>
/// profiles-update with the real agent against the local AWS IoT Core and a local HTTPS server standing in for S3 (issue 24,
/// "the device applies a release"): applied to every slot without a restart, reported in the shadow and in every forecast,
/// applied again after a restart; refused without Profiles:TrustedKeys.
/// </summary>
public sealed class ProfilesUpdateJobTests(ITestOutputHelper output) : IAsyncDisposable
{
    private const string Store = "store-24";
    private const string Release = "r-20261207-1";
    private readonly HttpsFileServer _s3 = new();
    private readonly SigningKey _key = new();

    public async ValueTask DisposeAsync()
    {
        await _s3.DisposeAsync();
        _key.Dispose();
    }

    [Fact]
    public async Task A_release_is_applied_to_all_twelve_slots_reported_in_the_shadow_and_forecasts_and_applied_again_after_a_restart()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, output);
        var core = env.IotCore;
        const string thing = "shelf-prof-01";
        var device = await DeviceAsync(env, thing, withKeys: true);
        var service = core.Broker.IssueDevice(LocalIotCore.ServiceIdentity);
        await using var cloud = await MqttTestClient.ConnectAsync(
            core.Host, core.Port, core.CaFile, service.CertFile, service.KeyFile, "forecast-reader-24", CancellationToken.None);
        var forecastTopic = device.Topic("forecast");
        await cloud.SubscribeAsync(forecastTopic, CancellationToken.None);
        var trust = new Dictionary<string, string> { ["SSL_CERT_FILE"] = _s3.CaFile };
        var agent = env.StartAgent(device, trust);

        await core.CreateJobAsync(thing, "job-prof-1", Document(thing, 12));
        JobExecution? done = null;
        await agent.WaitForAsync(
            () => (done = core.JobExecution(thing, "job-prof-1")) is { IsTerminal: true }, "the profiles-update job ended", TimeSpan.FromSeconds(90));

        Assert.True(done!.Status == JobExecutionStatus.Succeeded, string.Join(", ", done.StatusDetails) + agent.Output);
        Assert.Equal(("12", "12", _key.Id), (done.StatusDetails["slots"], done.StatusDetails["of"], done.StatusDetails["key"]));
        await agent.WaitForOutputAsync($"Profile release {Release} applied: 12 of 12 slots");
        await agent.WaitForAsync(() => Profiles(core, thing)?["release"]?.GetValue<string>() == Release, "the shadow reports device.profiles");
        Assert.Equal(12, Profiles(core, thing)!["slots"]!.GetValue<int>());
        await agent.WaitForAsync(
            () => cloud.Seen().Any(m => m.Topic == forecastTopic && AllSlots(m, $"cloud:{Release}")),
            "a forecast says cloud:<release> for every slot",
            TimeSpan.FromSeconds(150));
        Assert.Single(agent.Output.Split('\n'), l => l.Contains("starting: thing", StringComparison.Ordinal));
        await agent.StopAsync();

        // A restart: the release kept in the state folder applies from the first round.
        Assert.True(File.Exists(device.File("profiles/release.json")));
        var seen = cloud.Seen().Count;
        var again = env.StartAgent(device, trust);
        await again.WaitForOutputAsync($"Profile release {Release} kept from the last run: 12 of 12 slots run on it");
        await again.WaitForAsync(
            () => cloud.Seen().Skip(seen).Any(m => m.Topic == forecastTopic && AllSlots(m, $"cloud:{Release}")),
            "after the restart a forecast says cloud:<release> for every slot",
            TimeSpan.FromSeconds(150));
        await again.StopAsync();
    }

    [Fact]
    public async Task A_device_without_profile_keys_rejects_the_release_and_keeps_its_own_learning()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, output);
        const string thing = "shelf-prof-02";
        var device = await DeviceAsync(env, thing, withKeys: false);
        var agent = env.StartAgent(device, new Dictionary<string, string> { ["SSL_CERT_FILE"] = _s3.CaFile });

        await env.IotCore.CreateJobAsync(thing, "job-prof-2", Document(thing, 2));
        JobExecution? done = null;
        await agent.WaitForAsync(
            () => (done = env.IotCore.JobExecution(thing, "job-prof-2")) is { IsTerminal: true }, "the profiles-update job ended", TimeSpan.FromSeconds(90));

        Assert.Equal(JobExecutionStatus.Rejected, done!.Status);
        Assert.Contains("no Profiles:TrustedKeys", done.StatusDetails["reason"], StringComparison.Ordinal);
        Assert.Empty(_s3.Requests);
        Assert.False(File.Exists(device.File("profiles/release.json")));
    }

    private async Task<TestDevice> DeviceAsync(IntegrationEnvironment env, string thing, bool withKeys) => await env.DeviceAsync(
        thing,
        c =>
        {
            c.Slots(12)
                .Set("Sampling:IntervalMs", 500)
                .Set("Publish:IntervalMs", 500)
                .Set("Stock:ForecastIntervalMinutes", 1)
                .Set("Shadow", new JsonObject { ["Enabled"] = true, ["ReportIntervalSeconds"] = 5 });
            if (withKeys)
            {
                c.Set("Profiles:TrustedKeys", new JsonArray(_key.PublicPem));
            }
        },
        store: Store);

    /// <summary>The job document for the store's artifact: <paramref name="slots"/> profiles of <paramref name="thing"/> and one of another thing.</summary>
    private JsonObject Document(string thing, int slots)
    {
        var profiles = Enumerable.Range(1, slots).Select(i => ReleaseArtifact.Profile(Store, thing, $"S{i}", $"SKU-{i}", 1.5))
            .Append(ReleaseArtifact.Profile(Store, "shelf-prof-99", "S1", "SKU-1", 3));
        var bytes = ReleaseArtifact.Bytes(Release, Store, profiles);
        var spec = ReleaseArtifact.Spec(_s3.Serve($"/profiles/{Release}/{Store}.json", bytes), bytes, _key);
        return new JsonObject
        {
            ["operation"] = "profiles-update",
            ["release"] = Release,
            ["url"] = spec.Url.ToString(),
            ["size"] = spec.Size,
            ["sha256"] = spec.Sha256,
            ["signature"] = spec.Signature,
            ["keyId"] = spec.KeyId,
        };
    }

    private static JsonNode? Profiles(LocalIotCore core, string thing) => core.Shadow(thing)?["state"]?["reported"]?["device"]?["profiles"];

    private static bool AllSlots(MQTTnet.MqttApplicationMessage message, string profile)
        => (JsonNode.Parse(System.Text.Encoding.UTF8.GetString(System.Buffers.BuffersExtensions.ToArray(message.Payload)))?["slots"] as JsonArray)
            is { Count: 12 } slots && slots.All(s => s?["profile"]?.GetValue<string>() == profile);
}

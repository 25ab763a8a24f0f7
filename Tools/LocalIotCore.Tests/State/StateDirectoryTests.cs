using System.Text.Json.Nodes;
using ShelfAgent.LocalIot.Jobs;
using ShelfAgent.LocalIot.Registry;

namespace ShelfAgent.LocalIot.Tests.State;

/// <summary>A core on a state folder keeps its CA, things, certificates, shadows and jobs across a restart.</summary>
[Trait("Category", "Integration")]
public sealed class StateDirectoryTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly string _state = Directory.CreateTempSubdirectory("core-state-").FullName;

    [Fact]
    public async Task Restarted_core_keeps_things_certificates_shadows_and_jobs_and_the_old_certificate_still_connects()
    {
        IssuedIdentity identity;
        await using (var core = await LocalIotCore.StartAsync(new LocalIotCoreOptions { StateDirectory = _state }))
        {
            await core.RegisterThingAsync("shelf-1", new Dictionary<string, string> { ["storeId"] = "s1" });
            identity = await core.IssueThingCertificateAsync("shelf-1");
            await core.CreateJobAsync("shelf-1", "cfg-1", new JsonObject { ["operation"] = "config-update", ["changes"] = new JsonObject() });
            await core.UpdateDesiredAsync("shelf-1", new JsonObject { ["Sampling"] = new JsonObject { ["IntervalMs"] = 2000 } });
            Assert.True(File.Exists(Path.Combine(_state, "endpoint.json")));
        }

        Assert.False(File.Exists(Path.Combine(_state, "endpoint.json")));
        await using var again = await LocalIotCore.StartAsync(new LocalIotCoreOptions { StateDirectory = _state });

        Assert.Equal("s1", again.Registry.Thing("shelf-1")!.Attributes["storeId"]);
        Assert.Equal(JobExecutionStatus.Queued, again.JobExecution("shelf-1", "cfg-1")!.Status);
        Assert.Equal(2000, again.Shadow("shelf-1")!["state"]!["desired"]!["Sampling"]!["IntervalMs"]!.GetValue<int>());
        // Same CA, same ACL: the device's certificate from the first run connects and may use its thing's topics.
        await using var device = await again.ConnectAsync(identity, "shelf-1");
        await device.SubscribeAsync("$aws/things/shelf-1/jobs/notify-next", default);
        await device.PublishAsync("$aws/things/shelf-1/jobs/start-next", "{}", default);
        Assert.Equal(JobExecutionStatus.InProgress, await StatusAsync(again, "shelf-1", "cfg-1"));
        Assert.Empty(again.Faults);
    }

    [Fact]
    public async Task Second_core_on_the_same_state_folder_is_refused()
    {
        await using var core = await LocalIotCore.StartAsync(new LocalIotCoreOptions { StateDirectory = _state });

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => LocalIotCore.StartAsync(new LocalIotCoreOptions { StateDirectory = _state }));

        Assert.Contains("another local-iot-core runs on", refused.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_state, "endpoint.json")), "the running core's endpoint.json must stay");
    }

    [Fact]
    public async Task Many_things_registered_and_issued_at_once_each_connect_with_their_own_certificate()
    {
        await using var core = await LocalIotCore.StartAsync();
        var names = Enumerable.Range(1, 20).Select(i => $"shelf-{i:D3}").ToList();

        await core.RegisterThingsAsync(names.Select(n => new RegisteredThing(n, new Dictionary<string, string> { ["storeId"] = "s1" })));
        var identities = await core.IssueThingCertificatesAsync(names);

        Assert.Equal(names.Count, core.Registry.Certificates().Count(c => c.Status == CertificateStatus.Active));
        await using var last = await core.ConnectAsync(identities[^1], names[^1]);
        Assert.Equal(MQTTnet.MqttClientPublishReasonCode.NoMatchingSubscribers, await last.PublishAsync($"dt/shelf/s1/{names[^1]}/telemetry", "{}", default));
    }

    [Fact]
    public async Task Observer_receives_device_topics_and_may_publish_nothing()
    {
        await using var core = await LocalIotCore.StartAsync();
        await core.RegisterThingAsync("shelf-1", new Dictionary<string, string> { ["storeId"] = "s1" });
        await using var device = await core.ConnectAsync(await core.IssueThingCertificateAsync("shelf-1"), "shelf-1");
        await using var viewer = await core.ConnectAsync(await core.IssueObserverCertificateAsync("viewer"), "viewer");
        await viewer.SubscribeAsync("dt/shelf/s1/shelf-1/#", default);

        await device.PublishAsync("dt/shelf/s1/shelf-1/telemetry", "{\"n\":1}", default);

        Assert.Equal("dt/shelf/s1/shelf-1/telemetry", (await viewer.NextAsync("dt/shelf/s1/shelf-1/telemetry", Wait)).Topic);
        Assert.Equal(MQTTnet.MqttClientPublishReasonCode.NotAuthorized, await viewer.PublishAsync("dt/shelf/s1/shelf-1/telemetry", "{}", default));
        Assert.Empty(core.Refusals);
    }

    public void Dispose() => Directory.Delete(_state, recursive: true);

    private static async Task<JobExecutionStatus> StatusAsync(LocalIotCore core, string thing, string jobId)
    {
        using var bound = new CancellationTokenSource(Wait);
        while (core.JobExecution(thing, jobId)!.Status == JobExecutionStatus.Queued)
        {
            await Task.Delay(50, bound.Token);
        }

        return core.JobExecution(thing, jobId)!.Status;
    }
}

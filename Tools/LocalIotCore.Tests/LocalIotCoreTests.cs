using System.Text.Json.Nodes;
using MQTTnet;
using MQTTnet.Protocol;
using ShelfAgent.LocalIot.Broker;
using ShelfAgent.LocalIot.Jobs;
using static ShelfAgent.LocalIot.Tests.Provisioning.FleetProvisioningTests;

namespace ShelfAgent.LocalIot.Tests;

/// <summary>The shadow and jobs APIs over the real broker, and the operation record, with a raw MQTT client.</summary>
[Trait("Category", "Integration")]
public sealed class LocalIotCoreTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Device_gets_the_delta_of_a_cloud_desired_update_and_its_reported_update_is_versioned()
    {
        await using var core = await LocalIotCore.StartAsync();
        await core.RegisterThingAsync("shelf-1", new Dictionary<string, string> { ["storeId"] = "s1" });
        await using var device = await core.ConnectAsync(await core.IssueThingCertificateAsync("shelf-1"), "shelf-1");
        await device.SubscribeAsync("$aws/things/shelf-1/shadow/update/delta", default);

        var reported = await RequestAsync(device, "$aws/things/shelf-1/shadow/update",
            JsonNode.Parse("""{"state":{"reported":{"IntervalMs":100}},"clientToken":"r1"}""")!.AsObject());
        Assert.Equal("r1", Json(reported)["clientToken"]!.GetValue<string>());
        await core.UpdateDesiredAsync("shelf-1", JsonNode.Parse("""{"IntervalMs":500}""")!.AsObject());

        var delta = Json(await device.NextAsync("$aws/things/shelf-1/shadow/update/delta", Wait));
        Assert.Equal(500, delta["state"]!["IntervalMs"]!.GetValue<int>());
        Assert.Equal(2, delta["version"]!.GetValue<long>());

        var stale = await RequestAsync(device, "$aws/things/shelf-1/shadow/update",
            JsonNode.Parse("""{"state":{"reported":{"IntervalMs":500}},"version":1}""")!.AsObject());
        Assert.Equal(409, Json(stale)["code"]!.GetValue<int>());
        Assert.Equal(2, core.Shadow("shelf-1")!["version"]!.GetValue<long>());
        Assert.Empty(core.Faults);
    }

    [Fact]
    public async Task Device_is_notified_of_a_new_job_takes_it_and_reports_success()
    {
        await using var core = await LocalIotCore.StartAsync();
        await core.RegisterThingAsync("shelf-2");
        await using var device = await core.ConnectAsync(await core.IssueThingCertificateAsync("shelf-2"), "shelf-2");
        await device.SubscribeAsync("$aws/things/shelf-2/jobs/notify-next", default);

        await core.CreateJobAsync("shelf-2", "j1", JsonNode.Parse("""{"operation":"report-diagnostics"}""")!.AsObject());
        var next = Json(await device.NextAsync("$aws/things/shelf-2/jobs/notify-next", Wait));
        Assert.Equal("j1", next["execution"]!["jobId"]!.GetValue<string>());

        var started = await RequestAsync(device, "$aws/things/shelf-2/jobs/start-next", new JsonObject { ["clientToken"] = "s" });
        Assert.Equal("IN_PROGRESS", Json(started)["execution"]!["status"]!.GetValue<string>());
        var done = await RequestAsync(device, "$aws/things/shelf-2/jobs/j1/update", new JsonObject { ["status"] = "SUCCEEDED", ["expectedVersion"] = 2 });
        Assert.EndsWith("/accepted", done.Topic, StringComparison.Ordinal);
        Assert.Equal(JobExecutionStatus.Succeeded, core.JobExecution("shelf-2", "j1")!.Status);
        var none = Json(await device.NextAsync("$aws/things/shelf-2/jobs/notify-next", Wait));
        Assert.Null(none["execution"]);
    }

    [Fact]
    public async Task Operations_record_connect_will_retained_publish_subscribe_and_receive_of_each_client()
    {
        await using var core = await LocalIotCore.StartAsync();
        await core.RegisterThingAsync("shelf-3", new Dictionary<string, string> { ["storeId"] = "s3" });
        var will = new MqttApplicationMessageBuilder().WithTopic("dt/shelf/s3/shelf-3/status").WithPayload("{\"online\":false}")
            .WithRetainFlag().WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        var identity = await core.IssueThingCertificateAsync("shelf-3");
        await using var device = await MqttTestClient.ConnectAsync(
            core.Host, core.Port, core.CaFile, identity.CertFile, identity.KeyFile, "shelf-3", default, will);
        await device.SubscribeAsync("$aws/things/shelf-3/shadow/get/rejected", default);
        await device.PublishAsync("dt/shelf/s3/shelf-3/status", "{\"online\":true}", default, retain: true);
        await device.PublishAsync("$aws/things/shelf-3/shadow/get", "{}", default);
        await device.NextAsync("$aws/things/shelf-3/shadow/get/rejected", Wait);

        var operations = core.Operations().Where(o => o.ClientId == "shelf-3").ToList();
        Assert.Contains(new MqttOperation(MqttOperationKind.Connect, "shelf-3", "shelf-3", ""), operations);
        Assert.Contains(new MqttOperation(MqttOperationKind.Will, "shelf-3", "shelf-3", "dt/shelf/s3/shelf-3/status", Retain: true), operations);
        Assert.Contains(new MqttOperation(MqttOperationKind.Subscribe, "shelf-3", "shelf-3", "$aws/things/shelf-3/shadow/get/rejected"), operations);
        Assert.Contains(new MqttOperation(MqttOperationKind.Publish, "shelf-3", "shelf-3", "dt/shelf/s3/shelf-3/status", Retain: true), operations);
        Assert.Contains(new MqttOperation(MqttOperationKind.Publish, "shelf-3", "shelf-3", "$aws/things/shelf-3/shadow/get"), operations);
        Assert.Contains(new MqttOperation(MqttOperationKind.Receive, "shelf-3", "shelf-3", "$aws/things/shelf-3/shadow/get/rejected"), operations);
        Assert.DoesNotContain(core.Operations(), o => o.ClientId == LocalIotCore.ServiceIdentity);
    }
}

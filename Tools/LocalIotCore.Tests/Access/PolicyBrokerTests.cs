using MQTTnet;
using ShelfAgent.LocalIot.Policy;

namespace ShelfAgent.LocalIot.Tests.Access;

/// <summary>The broker refuses what Cloud's device policy refuses (through the ACL derived from it).</summary>
[Trait("Category", "Integration")]
public sealed class PolicyBrokerTests
{
    [Fact]
    public async Task Thing_may_not_publish_into_another_thing_or_store_nor_receive_another_shadow()
    {
        await using var core = await LocalIotCore.StartAsync();
        await core.RegisterThingAsync("t1", new Dictionary<string, string> { ["storeId"] = "s1" });
        await core.RegisterThingAsync("t2", new Dictionary<string, string> { ["storeId"] = "s1" });
        var identity = await core.IssueThingCertificateAsync("t1");

        // No subscriber: 0x10 "no matching subscribers", a success code (MQTT 5 §3.4.2.1).
        Assert.Equal(MqttClientPublishReasonCode.NoMatchingSubscribers, await PublishOnceAsync(core, identity, "dt/shelf/s1/t1/telemetry"));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await PublishOnceAsync(core, identity, "dt/shelf/s1/t2/telemetry"));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await PublishOnceAsync(core, identity, "dt/shelf/s2/t1/telemetry"));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await PublishOnceAsync(core, identity, "$aws/things/t2/shadow/update"));

        // mosquitto grants a SUBSCRIBE its ACL would not deliver to (its documented behaviour) and then delivers
        // nothing: the policy contract test judges the SUBSCRIBE itself. t2's delta goes out first, so had it been
        // delivered it would be seen before t1's.
        await using var device = await core.ConnectAsync(identity, "t1");
        await device.SubscribeAsync("$aws/things/t2/shadow/update/delta", default);
        await device.SubscribeAsync("$aws/things/t1/shadow/update/delta", default);
        await core.UpdateDesiredAsync("t2", new System.Text.Json.Nodes.JsonObject { ["a"] = 1 });
        await core.UpdateDesiredAsync("t1", new System.Text.Json.Nodes.JsonObject { ["a"] = 1 });
        await device.NextAsync("$aws/things/t1/shadow/update/delta", TimeSpan.FromSeconds(15));
        Assert.DoesNotContain(device.Seen(), m => m.Topic.StartsWith("$aws/things/t2/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Client_is_disconnected_when_it_connects_with_another_client_id_or_publishes_retained_where_the_policy_refuses()
    {
        await using var core = await LocalIotCore.StartAsync();
        await core.RegisterThingAsync("t1", new Dictionary<string, string> { ["storeId"] = "s1" });
        var identity = await core.IssueThingCertificateAsync("t1");

        // iot:Connect allows only client id = thing name.
        await using (var impostor = await core.ConnectAsync(identity, "not-t1"))
        {
            Assert.True(await core.WaitForOperationsAsync(_ => core.Refusals.Any(r => r.Action == "iot:Connect"), TimeSpan.FromSeconds(15)));
        }

        // iot:RetainPublish only on …/status: a retained telemetry publish disconnects the client and is not kept.
        await using var device = await core.ConnectAsync(identity, "t1");
        await device.PublishAsync("dt/shelf/s1/t1/telemetry", "{}", default, retain: true);
        Assert.True(await core.WaitForOperationsAsync(_ => core.Refusals.Any(r => r.Action == "iot:RetainPublish"), TimeSpan.FromSeconds(15)));
        Assert.True(await core.WaitForOperationsAsync(_ => !device.IsConnected, TimeSpan.FromSeconds(15)));
        Assert.Equal(new ContractViolationKey("not-t1", "iot:Connect"), Key(core.Refusals[0]));
        Assert.Equal(new ContractViolationKey("t1", "iot:RetainPublish"), Key(core.Refusals[^1]));
        Assert.Empty(core.Faults);
    }

    private sealed record ContractViolationKey(string ClientId, string Action);

    private static ContractViolationKey Key(ContractViolation v) => new(v.Operation.ClientId, v.Action);

    /// <summary>
    /// One publish on a fresh connection: mosquitto 2.0.11 answers a denied MQTT 5 QoS 1 publish with PUBACK 0x87 and
    /// then closes the connection ("Bad socket read/write" in its log, seen here), much as AWS IoT Core disconnects.
    /// </summary>
    private static async Task<MqttClientPublishReasonCode> PublishOnceAsync(LocalIotCore core, IssuedIdentity identity, string topic)
    {
        await using var device = await core.ConnectAsync(identity, "t1");
        return await device.PublishAsync(topic, "{}", default);
    }
}

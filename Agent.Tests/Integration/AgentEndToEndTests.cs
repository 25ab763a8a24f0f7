using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration;

/// <summary>
/// The spine, end to end: the real shelf-agent process with simulated slots → SQLite outbox → our MQTT
/// client over mutual TLS → a real mosquitto → an independent subscriber (mosquitto_sub).
/// </summary>
public sealed class AgentEndToEndTests(SharedBroker shared, ITestOutputHelper output) : IClassFixture<SharedBroker>
{
    [Fact]
    public async Task Telemetry_from_openssl_made_rsa_certificates_arrives_on_the_contract_topic_and_validates_against_the_schema()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { OpenSsl = true }, output);
        var device = await env.DeviceAsync("shelf-rsa-01", c => c.Set("Mqtt:Host", "localhost"));
        var sub = await env.SubscribeAsync("dt/shelf/#");

        env.StartAgent(device);

        await env.UntilAsync(() => sub.Payloads(device.Topic("telemetry")).Count >= 5, "five telemetry messages arrived");
        // Live telemetry is shelf.telemetry.v2 by default (Publish:LiveSchema), sent through Basic Ingest (Publish:BasicIngestRule).
        Assert.Null(await JsonSchemaValidator.ValidateAsync("data-contract.v2.schema.json", sub.Payloads("/telemetry")));
        Assert.Contains(sub.Messages, m => m.Topic == device.Topic("status") && m.Payload.Contains("\"online\":true", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Telemetry_is_v1_on_the_plain_topic_when_Publish_LiveSchema_is_v1_and_Publish_BasicIngestRule_is_empty()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared, output);
        var device = await env.DeviceAsync("shelf-v1-01", c => c
            .Set("Publish:LiveSchema", "shelf.telemetry.v1")
            .Set("Publish:BasicIngestRule", ""));
        // The device's own topics only: no Basic Ingest stand-in in between, what arrives came on the plain topic.
        var sub = await MosquittoSubscriber.StartAsync(env.Broker, device.Topic("#"), "sub-v1-plain");
        await using var _ = sub;

        env.StartAgent(device);

        await env.UntilAsync(() => sub.Payloads(device.Topic("telemetry")).Count >= 3, "three telemetry messages arrived on the plain topic");
        Assert.Null(await JsonSchemaValidator.ValidateAsync("data-contract.schema.json", sub.Payloads("/telemetry")));
    }

    [Fact]
    public async Task Picks_and_alerts_detected_at_the_edge_arrive_on_their_topics_and_validate_against_their_schemas()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared, output);
        var device = await env.DeviceAsync("shelf-events-01");
        var sub = await env.SubscribeAsync(device.Topic("#"));

        env.StartAgent(device);

        // 3,600 picks an hour per slot: a settled pick within seconds; 24 items run low within a minute.
        await env.UntilAsync(() => sub.Payloads("/events").Count >= 3 && sub.Payloads("/alerts").Count >= 1, "three events and an alert arrived");
        Assert.Null(await JsonSchemaValidator.ValidateAsync("event.schema.json", sub.Payloads(device.Topic("events"))));
        Assert.Null(await JsonSchemaValidator.ValidateAsync("alert.schema.json", sub.Payloads(device.Topic("alerts"))));
    }

    [Fact]
    public async Task Every_sequence_number_arrives_when_the_broker_restarts_twice_and_the_agent_is_killed_twice()
    {
        await using var env = await IntegrationEnvironment.StartAsync(output: output);
        var device = await env.DeviceAsync("shelf-crash-01");
        var sub = await env.SubscribeAsync("dt/shelf/#");
        var agent = env.StartAgent(device);
        for (var round = 0; round < 2; round++)
        {
            await ProgressAsync(env, sub);
            await env.StopBrokerAsync();
            // The agent keeps sampling into its buffer while the broker is away.
            var buffered = OutboxFileProbe.RemainingSeqs(device.Outbox).Count;
            await env.UntilAsync(() => OutboxFileProbe.RemainingSeqs(device.Outbox).Count >= buffered + 10, "ten more readings buffered during the outage");
            await env.StartBrokerAgainAsync();
            await ProgressAsync(env, sub);

            await agent.KillAsync();
            Assert.Equal("ok", OutboxFileProbe.IntegrityCheck(device.Outbox));
            agent = env.StartAgent(device);
        }

        await ProgressAsync(env, sub);
        await agent.StopAsync();
        Assert.Equal(0, agent.ExitCode);

        // Everything committed has been acknowledged after a clean stop… or is still safely in the file.
        var received = TelemetryLog.Seqs(sub.Messages);
        var gaps = TelemetryLog.Gaps(received.Concat(OutboxFileProbe.RemainingSeqs(device.Outbox)));
        Assert.True(received.Count > 50, $"only {received.Count} readings arrived");
        Assert.True(gaps.Count == 0, $"missing seq: {string.Join(",", gaps.Take(20))} of {received.Max()}\n{env.Diagnostics()}");
        Assert.Equal("ok", OutboxFileProbe.IntegrityCheck(device.Outbox));
    }

    [Fact]
    public async Task Agent_keeps_publishing_and_marks_a_slot_fault_with_the_reason_when_its_hardware_is_missing()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared, output);
        // Slot S2 is a NAU7802 on a bus this machine does not have (no /dev/i2c-*: the agent must carry on). 600 ms: a
        // NAU7802 at its default 10 conversions/s needs 500 ms for its 5 samples (the loader refuses less).
        var device = await env.DeviceAsync("shelf-hw-01", c => c.Slots(2)
            .Set("Sampling:IntervalMs", 600)
            .Set("Slots:S2:Sensor", new JsonObject { ["Type"] = "Nau7802", ["Bus"] = 97 }));
        var sub = await env.SubscribeAsync(device.Topic("#"));

        var agent = env.StartAgent(device);

        await env.UntilAsync(
            () => sub.Payloads("/telemetry").Count >= 3 && sub.Payloads("/alerts").Count >= 1,
            "three telemetry messages and an alert arrived");
        var telemetry = string.Join('\n', sub.Payloads("/telemetry").Select(TelemetryLog.AsV1));
        Assert.Contains("\"slot\":\"S1\",\"sku\":\"SKU-1\",\"grams\":", telemetry, StringComparison.Ordinal);
        Assert.Contains(
            "\"slot\":\"S2\",\"sku\":\"SKU-2\",\"grams\":null,\"count\":null,\"status\":\"fault\",\"reason\":\"unavailable: /dev/i2c-97 not found",
            telemetry,
            StringComparison.Ordinal);
        Assert.Contains(
            sub.Payloads("/alerts"),
            a => a.Contains("\"slot\":\"S2\"", StringComparison.Ordinal) && a.Contains("\"type\":\"fault\"", StringComparison.Ordinal));
        Assert.False(agent.HasExited);
    }

    // Five more messages, whatever they are: the agent moves data through this broker now.
    private static async Task ProgressAsync(IntegrationEnvironment env, MosquittoSubscriber sub)
    {
        var before = sub.Messages.Count;
        await env.UntilAsync(() => sub.Messages.Count >= before + 5, "five more messages arrived");
    }
}

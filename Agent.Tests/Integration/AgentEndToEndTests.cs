using ShelfAgent.LocalIot.Broker;


namespace ShelfAgent.Tests.Integration;

/// <summary>
/// The spine, end to end: the real shelf-agent process with simulated slots → SQLite outbox → our MQTT
/// client over mutual TLS → a real mosquitto → an independent subscriber (mosquitto_sub).
/// </summary>
public sealed class AgentEndToEndTests
{
    private const string Store = "store-0042";

    [Fact]
    public async Task Telemetry_from_openssl_made_rsa_certificates_arrives_on_the_contract_topic_and_validates_against_the_schema()
    {
        using var dir = new TempDirectory("e2e");
        var pki = await OpenSslPki.CreateAsync(dir.File("pki"));
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { ExternalPki = pki });
        await using var sub = await MosquittoSubscriber.StartAsync(broker, "dt/shelf/#", "subscriber", await pki.IssueDeviceAsync("subscriber"));
        var (cert, key) = await pki.IssueDeviceAsync("shelf-rsa-01");
        var config = AgentConfigFile.Write(dir.File("agent.json"), broker, "shelf-rsa-01", Store, cert, key, dir.File("outbox.db"), host: "localhost");

        await using var agent = AgentProcess.Start("run", "--config", config);
        var arrived = await sub.WaitUntilAsync(m => TelemetryLog.Payloads(m, $"dt/shelf/{Store}/shelf-rsa-01/telemetry").Count >= 5, TimeSpan.FromSeconds(30));

        Assert.True(arrived, agent.Output + "\n" + broker.ReadLog());
        var payloads = TelemetryLog.Payloads(sub.Messages, "/telemetry");
        Assert.Null(await JsonSchemaValidator.ValidateAsync("data-contract.schema.json", payloads));
        Assert.Contains(sub.Messages, m => m.Topic == $"dt/shelf/{Store}/shelf-rsa-01/status" && m.Payload.Contains("\"online\":true", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Picks_and_alerts_detected_at_the_edge_arrive_on_their_topics_and_validate_against_their_schemas()
    {
        using var dir = new TempDirectory("e2e");
        await using var broker = await MosquittoBroker.StartAsync();
        await using var sub = await MosquittoSubscriber.StartAsync(broker, "dt/shelf/#");
        var (cert, key) = broker.IssueDevice("shelf-events-01");
        var config = AgentConfigFile.Write(dir.File("agent.json"), broker, "shelf-events-01", Store, cert, key, dir.File("outbox.db"));

        await using var agent = AgentProcess.Start("run", "--config", config);
        // 3,600 picks an hour per slot: a settled pick within seconds; 24 items run low within a minute.
        var arrived = await sub.WaitUntilAsync(
            m => TelemetryLog.Payloads(m, "/events").Count >= 3 && TelemetryLog.Payloads(m, "/alerts").Count >= 1,
            TimeSpan.FromSeconds(60));

        Assert.True(arrived, agent.Output);
        Assert.Null(await JsonSchemaValidator.ValidateAsync("event.schema.json", TelemetryLog.Payloads(sub.Messages, $"dt/shelf/{Store}/shelf-events-01/events")));
        Assert.Null(await JsonSchemaValidator.ValidateAsync("alert.schema.json", TelemetryLog.Payloads(sub.Messages, $"dt/shelf/{Store}/shelf-events-01/alerts")));
    }

    [Fact]
    public async Task Every_sequence_number_arrives_when_the_broker_restarts_twice_and_the_agent_is_killed_twice()
    {
        using var dir = new TempDirectory("e2e");
        await using var broker = await MosquittoBroker.StartAsync();
        await using var sub = await MosquittoSubscriber.StartAsync(broker, "dt/shelf/#");
        var (cert, key) = broker.IssueDevice("shelf-crash-01");
        var outbox = dir.File("outbox.db");
        var config = AgentConfigFile.Write(dir.File("agent.json"), broker, "shelf-crash-01", Store, cert, key, outbox);
        var agent = AgentProcess.Start("run", "--config", config);
        try
        {
            for (var round = 0; round < 2; round++)
            {
                await WaitForProgressAsync(sub, agent, broker);
                await broker.StopAsync();
                await Task.Delay(TimeSpan.FromSeconds(2)); // the agent keeps sampling into its buffer
                await broker.StartAgainAsync();
                await WaitForProgressAsync(sub, agent, broker);

                await agent.KillAsync();
                Assert.Equal("ok", OutboxFileProbe.IntegrityCheck(outbox));
                agent = AgentProcess.Start("run", "--config", config);
            }

            await WaitForProgressAsync(sub, agent, broker);
            await agent.StopAsync();
            Assert.Equal(0, agent.ExitCode);
        }
        finally
        {
            await agent.DisposeAsync();
        }

        // Everything committed has been acknowledged after a clean stop… or is still safely in the file.
        var left = OutboxFileProbe.RemainingSeqs(outbox);
        var received = TelemetryLog.Seqs(sub.Messages);
        var gaps = TelemetryLog.Gaps(received.Concat(left));
        Assert.True(received.Count > 50, $"only {received.Count} readings arrived");
        Assert.True(gaps.Count == 0, $"missing seq: {string.Join(",", gaps.Take(20))} of {received.Max()}\n{broker.ReadLog()}");
        Assert.Equal("ok", OutboxFileProbe.IntegrityCheck(outbox));
    }

    [Fact]
    public async Task Agent_keeps_publishing_and_marks_a_slot_fault_with_the_reason_when_its_hardware_is_missing()
    {
        using var dir = new TempDirectory("e2e");
        await using var broker = await MosquittoBroker.StartAsync();
        await using var sub = await MosquittoSubscriber.StartAsync(broker, "dt/shelf/#");
        var (cert, key) = broker.IssueDevice("shelf-hw-01");
        // 600 ms: a NAU7802 at its default 10 conversions/s needs 500 ms for its 5 samples (the loader refuses less).
        var config = AgentConfigFile.Write(dir.File("agent.json"), broker, "shelf-hw-01", Store, cert, key, dir.File("outbox.db"), slots: 2, samplingMs: 600);
        // Make slot S2 a NAU7802 on a bus this machine does not have (no /dev/i2c-*: the agent must carry on).
        var json = await File.ReadAllTextAsync(config);
        var s2 = json.IndexOf("\"Id\": \"S2\"", StringComparison.Ordinal);
        var sensor = json.IndexOf("\"Sensor\": {", s2, StringComparison.Ordinal);
        var end = json.IndexOf('}', sensor);
        json = json[..sensor] + "\"Sensor\": { \"Type\": \"Nau7802\", \"Bus\": 97 " + json[end..];
        await File.WriteAllTextAsync(config, json);

        await using var agent = AgentProcess.Start("run", "--config", config);
        var arrived = await sub.WaitUntilAsync(m => TelemetryLog.Payloads(m, "/telemetry").Count >= 3 && TelemetryLog.Payloads(m, "/alerts").Count >= 1, TimeSpan.FromSeconds(30));

        Assert.True(arrived, agent.Output);
        var telemetry = string.Join('\n', TelemetryLog.Payloads(sub.Messages, "/telemetry"));
        Assert.Contains("\"slot\":\"S1\",\"sku\":\"SKU-1\",\"grams\":", telemetry, StringComparison.Ordinal);
        Assert.Contains("\"slot\":\"S2\",\"sku\":\"SKU-2\",\"grams\":null,\"count\":null,\"status\":\"fault\",\"reason\":\"unavailable: /dev/i2c-97 not found", telemetry, StringComparison.Ordinal);
        Assert.Contains(TelemetryLog.Payloads(sub.Messages, "/alerts"), a => a.Contains("\"slot\":\"S2\"", StringComparison.Ordinal) && a.Contains("\"type\":\"fault\"", StringComparison.Ordinal));
        Assert.False(agent.HasExited);
    }

    private static async Task WaitForProgressAsync(MosquittoSubscriber sub, AgentProcess agent, MosquittoBroker broker)
    {
        var before = sub.Messages.Count;
        var ok = await sub.WaitUntilAsync(m => m.Count >= before + 5, TimeSpan.FromSeconds(45));
        Assert.True(ok, $"no telemetry: agent said:\n{agent.Output}\nbroker:\n{broker.ReadLog()}");
    }
}

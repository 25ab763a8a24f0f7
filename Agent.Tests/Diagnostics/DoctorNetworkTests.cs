using Microsoft.Extensions.Logging.Abstractions;
using ShelfAgent.Config;
using ShelfAgent.Diagnostics;
using ShelfAgent.Tests.Integration;
using ShelfAgent.Tests.Integration.Transport;

namespace ShelfAgent.Tests.Diagnostics;

/// <summary>doctor's network findings (issue 14, "doctor, extended") against a real mosquitto over mutual TLS.</summary>
public sealed class DoctorNetworkTests(SharedBroker shared) : IClassFixture<SharedBroker>
{
    [Fact]
    public async Task The_round_trip_on_the_device_topics_passes_and_the_broker_CA_is_confirmed()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared);
        var device = await env.DeviceAsync("shelf-rt-01", store: "store-1");

        var (code, output) = await AgentProcess.RunAsync("doctor", "--config", device.Config);

        Assert.True(code == 0, output);
        Assert.Matches(
            @"ok +round trip +published to dt/shelf/store-1/shelf-rt-01/doctor and received it back \(SUBACK granted QoS 1, PUBACK success \(0x00\)\)",
            output);
        Assert.Matches(@"ok +broker CA +the broker's certificate \(localhost\) chains to Test CA", output);
    }

    [Fact]
    public async Task A_topic_the_policy_denies_is_named_as_a_policy_rejection_with_reason_code_0x87()
    {
        // As a device policy without iot:Publish on the doctor topic: the device may read its subtree, write only status.
        await using var env = await IntegrationEnvironment.StartAsync(new() { Acl = ["pattern read dt/shelf/+/%u/#", "pattern write dt/shelf/+/%u/status"] });
        var device = await env.DeviceAsync("shelf-rt-02", store: "store-1");

        var (code, output) = await AgentProcess.RunAsync("doctor", "--config", device.Config);

        Assert.Equal(69, code);
        Assert.Matches(@"ok +broker +connected", output);
        Assert.Contains(
            "FAIL round trip         the broker refused the publish to dt/shelf/store-1/shelf-rt-02/doctor: not authorized (0x87): " +
            "a policy rejection — the IoT policy does not allow iot:Publish on topic/dt/shelf/store-1/shelf-rt-02/doctor",
            output,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_CA_file_is_named_as_the_wrong_CA_with_both_names()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared);
        var other = env.ForeignIdentity("Some Other CA", "shelf-ca-01");
        var device = await env.DeviceAsync("shelf-ca-01", c => c.Set("Mqtt:CaFile", other.CaFile), store: "store-1");

        var (code, output) = await AgentProcess.RunAsync("doctor", "--config", device.Config, "--no-connect");

        Assert.Equal(69, code);
        Assert.Matches(
            @"FAIL broker CA +wrong CA: the broker's certificate \(localhost\) is issued by 'Test CA [0-9a-f]{8}', " +
            @"but Mqtt:CaFile .*other-ca.crt holds 'Some Other CA': set Mqtt:CaFile to the CA that issued the broker's certificate",
            output);
    }

    [Fact]
    public async Task Port_8883_blocked_while_443_with_ALPN_answers_says_to_set_Mqtt_Port_to_443()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared);
        // Stands in for AWS IoT's port 443: it requires ALPN x-amzn-mqtt-ca and turns away a client without it
        // (MqttTransportTlsTests.Is_turned_away_by_that_server_without_alpn), so getting through proves the fallback offered it.
        await using var relay = new AlpnRelay(env.Broker);
        var closed = FreePort.Next();
        var device = await env.DeviceAsync("shelf-443-01", c => c.Set("Mqtt:Port", closed), store: "store-1");
        var config = device.Config;
        var options = AgentConfigLoader.Load(config, out _, use: ConfigUse.Slots | ConfigUse.Broker | ConfigUse.Sampling);
        var request = new DoctorRequest(true, [], ServiceUserAccess.Create(null), FallbackPort: relay.Port);

        var findings = new List<CheckResult>();
        await foreach (var f in DeviceDoctor.RunAsync(options, request, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None))
        {
            findings.Add(f);
        }

        var brokerFinding = findings.Single(f => f.Check == "broker");
        Assert.Equal(CheckStatus.Fail, brokerFinding.Status);
        Assert.Contains($"port {closed} is blocked (Connection to 127.0.0.1:{closed} was refused", brokerFinding.Detail, StringComparison.Ordinal);
        Assert.Contains(
            $"port {relay.Port} with ALPN x-amzn-mqtt-ca connects: set \"Mqtt\": {{ \"Port\": 443 }} in {config}",
            brokerFinding.Detail,
            StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Ok, findings.Single(f => f.Check == "round trip").Status);
        Assert.True(relay.Relayed >= 1);
        Assert.Equal(0, relay.RefusedForAlpn);
        Assert.Equal(69, DoctorExitCode.For(findings));
    }
}

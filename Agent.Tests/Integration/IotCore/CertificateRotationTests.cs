using Microsoft.Extensions.Logging.Abstractions;
using ShelfAgent.IotCore;
using ShelfAgent.IotCore.Provisioning;
using ShelfAgent.LocalIot;
using ShelfAgent.LocalIot.Broker;
using ShelfAgent.LocalIot.Provisioning;
using ShelfAgent.Transport;

namespace ShelfAgent.Tests.Integration.IotCore;

/// <summary>
/// <see cref="CertificateRotation"/> over a device's own connection to the local AWS IoT Core (the broker enforcing
/// Cloud's device policies, which allow create-from-csr and the rotation template), then <c>shelf-agent run</c> with
/// whatever agent.json names afterwards.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CertificateRotationTests
{
    private const string Thing = "shelf-0201";

    [Fact]
    public async Task Rotation_switches_to_a_new_certificate_that_connects_and_run_uses_it()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() });
        var core = env.IotCore;
        var (config, old) = await DeviceAsync(env);
        var connector = Connector(core);

        RotationResult result;
        await using (var session = await connector.ConnectAsync(new IotIdentity(old.CertFile, old.KeyFile, Thing), CancellationToken.None))
        {
            result = await new CertificateRotation(connector, TimeProvider.System).RotateAsync(
                new RotationRequest(
                    session, Thing, core.Options.RotationTemplate, new Dictionary<string, string>(), config, old.CertFile, old.KeyFile),
                CancellationToken.None);
        }

        Assert.True(result.Outcome == RotationOutcome.Rotated, result.Message);
        var identity = AgentJsonIdentity.Read(await File.ReadAllTextAsync(config))!;
        Assert.Equal(result.CertFile, identity.CertFile);
        Assert.NotEqual(old.CertFile, identity.CertFile);
        Assert.Equal(Thing, core.Registry.Certificate(result.CertificateId!)!.Thing);
        await AssertRunConnectsAsync(env, config);
    }

    [Fact]
    public async Task New_certificate_refused_by_the_broker_leaves_the_old_one_in_agent_json_and_it_keeps_working()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() });
        var core = env.IotCore;
        var (config, old) = await DeviceAsync(env);
        var before = await File.ReadAllTextAsync(config);
        var connector = Connector(core);
        // From now on the fixture signs with a CA the broker does not trust: the new certificate's handshake fails.
        core.RefuseNewCertificates = true;

        RotationResult result;
        await using (var session = await connector.ConnectAsync(new IotIdentity(old.CertFile, old.KeyFile, Thing), CancellationToken.None))
        {
            result = await new CertificateRotation(connector, TimeProvider.System).RotateAsync(
                new RotationRequest(
                    session, Thing, core.Options.RotationTemplate, new Dictionary<string, string>(), config, old.CertFile, old.KeyFile),
                CancellationToken.None);
        }

        Assert.True(result.Outcome == RotationOutcome.NewCertificateRefused, result.Message);
        Assert.Equal(before, await File.ReadAllTextAsync(config));
        Assert.Equal(2, Directory.GetFiles(Path.GetDirectoryName(old.CertFile)!, "device*").Length);
        await AssertRunConnectsAsync(env, config);
    }

    private static async Task<(string Config, IssuedIdentity Old)> DeviceAsync(IntegrationEnvironment env)
    {
        var core = env.IotCore;
        core.AddProvisioningTemplate(new ProvisioningTemplate(core.Options.RotationTemplate) { RequiredParameters = ["ThingName"] });
        await core.RegisterThingAsync(Thing, new Dictionary<string, string> { ["storeId"] = "store-7" });
        var issued = await core.IssueThingCertificateAsync(Thing);
        // The device's files live in its own certificate folder beside agent.json, as provision leaves them.
        var certs = Directory.CreateDirectory(env.File($"{Thing}/certs")).FullName;
        var old = new IssuedIdentity(Path.Combine(certs, "device.crt"), Path.Combine(certs, "device.key"), issued.CertificateId);
        File.Copy(issued.CertFile, old.CertFile);
        File.Copy(issued.KeyFile, old.KeyFile);
        File.SetUnixFileMode(old.KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var device = await env.DeviceAsync(Thing, c => c.Slots(1), store: "store-7", identity: (old.CertFile, old.KeyFile));
        return (device.Config, old);
    }

    private static MqttIotConnector Connector(LocalIotCore core) => new(
        _ => MqttTransportOptions.FromConfig(new MqttOptions { Host = core.Host, Port = core.Port, CaFile = core.CaFile, KeepAliveSeconds = 5 }, ""),
        TimeProvider.System, NullLoggerFactory.Instance);

    private static async Task AssertRunConnectsAsync(IntegrationEnvironment env, string config)
    {
        var agent = env.StartAgent(["run", "--config", config]);
        await agent.WaitForOutputAsync("Connected to the broker");
        await agent.StopAsync();
        Assert.Contains(env.IotCore.Operations(), o => o.Kind == MqttOperationKind.Connect && o.ClientId == Thing && o.Username == Thing);
    }
}

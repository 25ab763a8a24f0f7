using Microsoft.Extensions.Logging.Abstractions;
using ShelfAgent.IotCore;
using ShelfAgent.IotCore.Provisioning;
using ShelfAgent.Transport;
using ShelfAgent.LocalIot;
using ShelfAgent.LocalIot.Broker;
using ShelfAgent.LocalIot.Provisioning;

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
        await using var core = await LocalIotCore.StartAsync();
        using var dir = new TempDirectory("rotation-it");
        var (config, old) = await DeviceAsync(core, dir);
        var connector = Connector(core);

        RotationResult result;
        await using (var session = await connector.ConnectAsync(new IotIdentity(old.CertFile, old.KeyFile, Thing), CancellationToken.None))
        {
            result = await new CertificateRotation(connector, TimeProvider.System).RotateAsync(
                new RotationRequest(session, Thing, core.Options.RotationTemplate, new Dictionary<string, string>(), config, old.CertFile, old.KeyFile), CancellationToken.None);
        }

        Assert.True(result.Outcome == RotationOutcome.Rotated, result.Message);
        var identity = AgentJsonIdentity.Read(await File.ReadAllTextAsync(config))!;
        Assert.Equal(result.CertFile, identity.CertFile);
        Assert.NotEqual(old.CertFile, identity.CertFile);
        Assert.Equal(Thing, core.Registry.Certificate(result.CertificateId!)!.Thing);
        await AssertRunConnectsAsync(core, config);
    }

    [Fact]
    public async Task New_certificate_refused_by_the_broker_leaves_the_old_one_in_agent_json_and_it_keeps_working()
    {
        await using var core = await LocalIotCore.StartAsync();
        using var dir = new TempDirectory("rotation-it");
        var (config, old) = await DeviceAsync(core, dir);
        var before = await File.ReadAllTextAsync(config);
        var connector = Connector(core);
        // From now on the fixture signs with a CA the broker does not trust: the new certificate's handshake fails.
        core.RefuseNewCertificates = true;

        RotationResult result;
        await using (var session = await connector.ConnectAsync(new IotIdentity(old.CertFile, old.KeyFile, Thing), CancellationToken.None))
        {
            result = await new CertificateRotation(connector, TimeProvider.System).RotateAsync(
                new RotationRequest(session, Thing, core.Options.RotationTemplate, new Dictionary<string, string>(), config, old.CertFile, old.KeyFile), CancellationToken.None);
        }

        Assert.True(result.Outcome == RotationOutcome.NewCertificateRefused, result.Message);
        Assert.Equal(before, await File.ReadAllTextAsync(config));
        Assert.Equal(2, Directory.GetFiles(Path.GetDirectoryName(old.CertFile)!, "device*").Length);
        await AssertRunConnectsAsync(core, config);
    }

    private static async Task<(string Config, IssuedIdentity Old)> DeviceAsync(LocalIotCore core, TempDirectory dir)
    {
        core.AddProvisioningTemplate(new ProvisioningTemplate(core.Options.RotationTemplate) { RequiredParameters = ["ThingName"] });
        await core.RegisterThingAsync(Thing, new Dictionary<string, string> { ["storeId"] = "store-7" });
        var issued = await core.IssueThingCertificateAsync(Thing);
        // The device's files live in its own certificate folder, as provision leaves them.
        Directory.CreateDirectory(dir.File("certs"));
        var old = new IssuedIdentity(dir.File("certs/device.crt"), dir.File("certs/device.key"), issued.CertificateId);
        File.Copy(issued.CertFile, old.CertFile);
        File.Copy(issued.KeyFile, old.KeyFile);
        File.SetUnixFileMode(old.KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var config = AgentConfigFile.Write(dir.File("agent.json"), core.Broker, Thing, "store-7", old.CertFile, old.KeyFile, dir.File("outbox.db"), slots: 1);
        return (config, old);
    }

    private static MqttIotConnector Connector(LocalIotCore core) => new(
        _ => MqttTransportOptions.FromConfig(new MqttOptions { Host = core.Host, Port = core.Port, CaFile = core.CaFile, KeepAliveSeconds = 5 }, ""),
        TimeProvider.System, NullLoggerFactory.Instance);

    private static async Task AssertRunConnectsAsync(LocalIotCore core, string config)
    {
        await using var agent = AgentProcess.Start("run", "--config", config);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!agent.Output.Contains("Connected to the broker", StringComparison.Ordinal) && !agent.HasExited && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Contains("Connected to the broker", agent.Output, StringComparison.Ordinal);
        await agent.StopAsync();
        Assert.Contains(core.Operations(), o => o.Kind == MqttOperationKind.Connect && o.ClientId == Thing && o.Username == Thing);
    }
}

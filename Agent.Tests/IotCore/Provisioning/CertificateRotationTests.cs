using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using ShelfAgent.IotCore.Provisioning;
using ShelfAgent.Security;
using ShelfAgent.Tests.Fakes;

namespace ShelfAgent.Tests.IotCore.Provisioning;

public sealed class CertificateRotationTests : IDisposable
{
    private const string Thing = "shelf-0042";
    private readonly TempDirectory _dir = new("rotation");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 5, 0, 0, TimeSpan.Zero));
    private readonly FakeProvisioningCloud _cloud;
    private readonly FakeMqttSession _session = new();
    private readonly string _config;
    private readonly string _oldCert;
    private readonly string _oldKey;

    public CertificateRotationTests()
    {
        _cloud = new FakeProvisioningCloud(_clock);
        _cloud.Serve(_session);
        Directory.CreateDirectory(_dir.File("certs"));
        _oldCert = _dir.File("certs/device.crt");
        _oldKey = _dir.File("certs/device.key");
        using var ca = DevCertificateAuthority.Create("old CA");
        using var old = ca.IssueClient(Thing);
        PemFiles.WriteCertificate(_oldCert, old.Certificate);
        PemFiles.WritePrivateKey(_oldKey, old.Key);
        _config = _dir.File("agent.json");
        File.WriteAllText(
            _config,
            $$"""{ "Device": { "ThingName": "{{Thing}}", "StoreId": "s" },""" +
            $$""" "Mqtt": { "Host": "h", "CertFile": "{{_oldCert}}", "KeyFile": "{{_oldKey}}" } }""");
    }

    private Task<RotationResult> RotateAsync(string template = "ShelfRotation") =>
        new CertificateRotation(_cloud, _clock).RotateAsync(
            new RotationRequest(_session, Thing, template, new Dictionary<string, string>(), _config, _oldCert, _oldKey), CancellationToken.None);

    [Fact]
    public async Task Rotation_switches_agent_json_only_after_the_new_certificate_connected()
    {
        var result = await RotateAsync();

        Assert.Equal(RotationOutcome.Rotated, result.Outcome);
        Assert.True(result.Switched);
        var identity = AgentJsonIdentity.Read(File.ReadAllText(_config))!;
        Assert.Equal(result.CertFile, identity.CertFile);
        Assert.Equal(result.KeyFile, identity.KeyFile);
        Assert.Equal(Thing, identity.ClientId);
        Assert.Equal(_oldCert, result.PreviousCertFile);
        Assert.True(File.Exists(_oldKey), "the old key stays until the agent reconnected with the new one");
        Assert.Equal(ShelfAgent.Storage.DurableFile.Private, File.GetUnixFileMode(result.KeyFile!));
        using var pair = X509Certificate2.CreateFromPemFile(result.CertFile!, result.KeyFile!);
        Assert.Equal(Thing, pair.GetNameInfo(X509NameType.SimpleName, false));
        Assert.Equal(Thing, _cloud.Attached[result.CertificateId!]);
        // The new pair was tried with the thing's client id before the switch.
        var probe = Assert.Single(_cloud.Connects);
        Assert.Equal((Thing, result.CertFile), (probe.ClientId, probe.CertFile));
        // The reply subscriptions were for the rotation only.
        Assert.Empty(_session.Subscriptions);
    }

    [Fact]
    public async Task New_certificate_refused_by_the_broker_keeps_the_old_identity_and_removes_the_new_files()
    {
        _cloud.RefusedClients.Add(Thing);
        var before = File.ReadAllText(_config);

        var result = await RotateAsync();

        Assert.Equal(RotationOutcome.NewCertificateRefused, result.Outcome);
        Assert.False(result.Switched);
        Assert.Equal(before, File.ReadAllText(_config));
        Assert.Equal(["device.crt", "device.key"], Directory.GetFiles(_dir.File("certs")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("current certificate stays in use", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejected_rotation_template_changes_nothing_and_carries_the_aws_error()
    {
        _cloud.RejectRegister = (404, "ResourceNotFound", "Template ShelfRotation not found");
        var before = File.ReadAllText(_config);

        var result = await RotateAsync();

        Assert.Equal(RotationOutcome.Rejected, result.Outcome);
        Assert.Equal(404, result.Error!.StatusCode);
        Assert.Equal(before, File.ReadAllText(_config));
        Assert.Empty(_cloud.Connects);
        Assert.Equal(2, Directory.GetFiles(_dir.File("certs")).Length);
    }

    [Fact]
    public async Task Rejected_csr_changes_nothing()
    {
        _cloud.RejectCsr = (400, "InvalidCsr", "bad");

        var result = await RotateAsync();

        Assert.Equal(RotationOutcome.Rejected, result.Outcome);
        Assert.Equal("InvalidCsr", result.Error!.ErrorCode);
        Assert.DoesNotContain("ThingName\": \"x", File.ReadAllText(_config), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_answer_is_a_failure_not_an_exception()
    {
        var silent = new FakeMqttSession();
        var rotation = new CertificateRotation(_cloud, new FakeClock()) { RequestTimeout = TimeSpan.FromSeconds(5) };

        var result = await rotation.RotateAsync(
            new RotationRequest(silent, Thing, "ShelfRotation", new Dictionary<string, string>(), _config, _oldCert, _oldKey), CancellationToken.None);

        Assert.Equal(RotationOutcome.Failed, result.Outcome);
        Assert.Contains("No reply", result.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _cloud.Dispose();
        _dir.Dispose();
    }
}

using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ShelfAgent.IotCore.Provisioning;
using ShelfAgent.Security;

namespace ShelfAgent.Tests.IotCore.Provisioning;

public sealed class ClaimProvisionerTests : IDisposable
{
    private const string Template = "ShelfFleet";
    private readonly TempDirectory _dir = new("provision");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 5, 0, 0, TimeSpan.Zero));
    private readonly FakeProvisioningCloud _cloud;
    private readonly StringWriter _progress = new();

    public ClaimProvisionerTests()
    {
        _cloud = new FakeProvisioningCloud(_clock);
        File.WriteAllText(Config, """
            {
              "Device": { "StoreId": "store-7" },
              "Mqtt": { "Host": "127.0.0.1", "Port": 8883, "CaFile": "/ca.crt" }
            }
            """);
        using var ca = DevCertificateAuthority.Create("claim CA");
        using var claim = ca.IssueClient("claim");
        PemFiles.WriteCertificate(ClaimCert, claim.Certificate);
        PemFiles.WritePrivateKey(ClaimKey, claim.Key);
    }

    private string Config => Path.Combine(_dir.Path, "agent.json");

    private string Certs => Path.Combine(_dir.Path, "certs");

    private string ClaimCert => Path.Combine(_dir.Path, "claim.crt");

    private string ClaimKey => Path.Combine(_dir.Path, "claim.key");

    private ProvisioningRequest Request(bool force = false, KeyKind kind = KeyKind.EcP256, string thing = "shelf-0042") =>
        new(ClaimCert, ClaimKey, Template, new Dictionary<string, string> { ["ThingName"] = thing }, Config, Certs, kind, force);

    private Task<ProvisioningResult> RunAsync(ProvisioningRequest? request = null) =>
        new ClaimProvisioner(_cloud, _clock, _progress).RunAsync(request ?? Request(), CancellationToken.None);

    [Theory]
    [InlineData(KeyKind.EcP256)]
    [InlineData(KeyKind.Rsa2048)]
    public async Task Provision_registers_installs_and_switches_agent_json(KeyKind kind)
    {
        var result = await RunAsync(Request(kind: kind));

        Assert.Equal(ProvisioningStatus.Provisioned, result.Status);
        Assert.Equal("shelf-0042", result.ThingName);
        var config = JsonNode.Parse(File.ReadAllText(Config))!;
        Assert.Equal("shelf-0042", (string?)config["Device"]!["ThingName"]);
        Assert.Equal("store-7", (string?)config["Device"]!["StoreId"]);
        Assert.Equal(Path.Combine(Certs, "device.crt"), (string?)config["Mqtt"]!["CertFile"]);
        Assert.Equal(Path.Combine(Certs, "device.key"), (string?)config["Mqtt"]!["KeyFile"]);
        Assert.Equal(DurableFileModes.Private, File.GetUnixFileMode(Path.Combine(Certs, "device.key")));
        Assert.Equal(DurableFileModes.GroupReadable, File.GetUnixFileMode(Path.Combine(Certs, "device.crt")));
        using var pair = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(
            Path.Combine(Certs, "device.crt"), Path.Combine(Certs, "device.key"));
        using var written = CertificateSigningRequest.LoadKey(File.ReadAllText(Path.Combine(Certs, "device.key")));
        Assert.Equal(kind, CertificateSigningRequest.KindOf(written));
        Assert.Single(_cloud.Attached);
        // Nothing pending is left; the claim was used, then the new identity connected as the thing.
        Assert.Equal(["device.crt", "device.key"], Directory.GetFiles(Certs).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var connects = _cloud.Connects.ToList();
        Assert.Equal(2, connects.Count);
        Assert.Equal(ClaimCert, connects[0].CertFile);
        Assert.Equal("shelf-0042", connects[1].ClientId);
        Assert.NotEqual(ClaimCert, connects[1].CertFile);
    }

    [Fact]
    public async Task Second_run_refuses_without_force_and_never_uses_the_claim()
    {
        await RunAsync();
        var before = File.ReadAllText(Config);
        var connects = _cloud.Connects.Count;

        var result = await RunAsync();

        Assert.Equal(ProvisioningStatus.IdentityExists, result.Status);
        Assert.Contains("--force", result.Hint, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(Config));
        Assert.Equal(connects, _cloud.Connects.Count);
    }

    [Fact]
    public async Task Force_replaces_the_identity()
    {
        await RunAsync();

        var result = await RunAsync(Request(force: true, thing: "shelf-0043"));

        Assert.Equal(ProvisioningStatus.Provisioned, result.Status);
        Assert.Equal("shelf-0043", AgentJsonIdentity.Read(File.ReadAllText(Config))?.ClientId);
    }

    [Fact]
    public async Task Rejected_csr_reports_aws_fields_and_keeps_the_key_for_the_next_run()
    {
        _cloud.RejectCsr = (400, "InvalidCSR", "The CSR is not valid.");

        var result = await RunAsync();

        Assert.Equal(ProvisioningStatus.Rejected, result.Status);
        Assert.Equal(new ShelfAgent.IotCore.AwsIotError(400, "InvalidCSR", "The CSR is not valid."), result.Error);
        Assert.Contains("create-from-csr", result.Message, StringComparison.Ordinal);
        Assert.Contains("--key-type rsa", result.Hint, StringComparison.Ordinal);
        Assert.Null(AgentJsonIdentity.Read(File.ReadAllText(Config))?.ClientId);
        var key = File.ReadAllText(Path.Combine(Certs, "pending.key"));

        _cloud.RejectCsr = null;
        Assert.Equal(ProvisioningStatus.Provisioned, (await RunAsync()).Status);
        Assert.Equal(key, File.ReadAllText(Path.Combine(Certs, "device.key")));
    }

    [Fact]
    public async Task Rejected_template_reports_aws_fields_and_what_to_do()
    {
        _cloud.RejectRegister = (403, "AccessDenied", "Pre-provisioning hook refused the device.");

        var result = await RunAsync();

        Assert.Equal(ProvisioningStatus.Rejected, result.Status);
        Assert.Equal(403, result.Error!.StatusCode);
        Assert.Contains($"RegisterThing (template {Template})", result.Message, StringComparison.Ordinal);
        Assert.Contains("hook", result.Hint, StringComparison.Ordinal);
        Assert.Null(AgentJsonIdentity.Read(File.ReadAllText(Config))?.ClientId);
    }

    [Fact]
    public async Task Missing_parameter_says_to_add_it()
    {
        var result = await RunAsync(Request() with { Parameters = new Dictionary<string, string>() });

        Assert.Equal("InvalidParameters", result.Error!.ErrorCode);
        Assert.Contains("--param", result.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_expired_after_an_interrupted_run_gets_a_new_certificate()
    {
        _cloud.Kill = (topic, point) =>
        {
            if (topic.StartsWith("$aws/provisioning-templates/", StringComparison.Ordinal) && point == KillPoint.BeforeAnswer)
            {
                throw new SimulatedKillException();
            }
        };
        await Assert.ThrowsAsync<SimulatedKillException>(() => RunAsync());
        _cloud.Kill = null;
        _clock.Advance(TimeSpan.FromHours(2));

        var result = await RunAsync();

        Assert.Equal(ProvisioningStatus.Provisioned, result.Status);
        Assert.Equal(2, _cloud.Requests.Count(t => t == "$aws/certificates/create-from-csr/json"));
    }

    [Fact]
    public async Task Token_the_cloud_calls_expired_is_replaced_once()
    {
        // The cloud's token dies sooner than the agent assumes: RegisterThing refuses it, a new certificate follows.
        _cloud.TokenLifetime = TimeSpan.FromMinutes(1);
        _cloud.Kill = (topic, point) =>
        {
            if (topic.StartsWith("$aws/provisioning-templates/", StringComparison.Ordinal) && point == KillPoint.BeforeAnswer && _cloud.Requests.Count == 2)
            {
                _clock.Advance(TimeSpan.FromMinutes(2));
            }
        };

        var result = await RunAsync();

        Assert.Equal(ProvisioningStatus.Provisioned, result.Status);
        Assert.Contains("refused the ownership token", _progress.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_refused_twice_stops_with_the_aws_error()
    {
        _cloud.TokenLifetime = TimeSpan.Zero;

        var result = await RunAsync();

        Assert.Equal(ProvisioningStatus.Rejected, result.Status);
        Assert.Equal("InvalidCertificateOwnershipToken", result.Error!.ErrorCode);
        Assert.Contains("clock", result.Hint, StringComparison.Ordinal);
    }

    public static TheoryData<string, KillPoint, int> KillPoints => new()
    {
        { "claim", KillPoint.Connect, 0 },                                          // key written, nothing sent
        { "$aws/certificates/create-from-csr/json", KillPoint.BeforeAnswer, 0 },   // CSR sent, not signed
        { "$aws/certificates/create-from-csr/json", KillPoint.AfterAnswer, 0 },    // CSR signed, answer lost
        { "$aws/provisioning-templates/ShelfFleet/provision/json", KillPoint.BeforeAnswer, 0 }, // certificate stored, not registered
        { "$aws/provisioning-templates/ShelfFleet/provision/json", KillPoint.AfterAnswer, 0 },  // registered, answer lost
        { "shelf-0042", KillPoint.Connect, 0 },                                     // registered and stored, config not written
    };

    [Theory]
    [MemberData(nameof(KillPoints))]
    public async Task Run_killed_at_any_point_succeeds_when_run_again(string where, KillPoint point, int unused)
    {
        _ = unused;
        _cloud.Kill = (at, p) =>
        {
            if (p == point && (at == where || (where == "claim" && at.StartsWith("provision-", StringComparison.Ordinal))))
            {
                throw new SimulatedKillException();
            }
        };
        await Assert.ThrowsAsync<SimulatedKillException>(() => RunAsync());
        Assert.Null(AgentJsonIdentity.Read(File.ReadAllText(Config))?.ClientId);
        _cloud.Kill = null;

        var result = await RunAsync();

        Assert.Equal(ProvisioningStatus.Provisioned, result.Status);
        Assert.Equal("shelf-0042", AgentJsonIdentity.Read(File.ReadAllText(Config))?.ClientId);
        using var pair = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(
            Path.Combine(Certs, "device.crt"), Path.Combine(Certs, "device.key"));
        Assert.Contains(CertificateIdOf(pair), _cloud.Attached.Keys);
    }

    [Fact]
    public async Task Run_killed_after_install_only_cleans_up()
    {
        await RunAsync();
        var installed = File.ReadAllText(Config);
        // As a kill between "state says installed" and the clean-up leaves it.
        File.WriteAllText(Path.Combine(Certs, "provisioning.json"), """{"keyKind":"EcP256","thingName":"shelf-0042","certificateId":"x","installed":true}""");
        var connects = _cloud.Connects.Count;

        var result = await RunAsync();

        Assert.Equal(ProvisioningStatus.Provisioned, result.Status);
        Assert.Equal(installed, File.ReadAllText(Config));
        Assert.Equal(connects, _cloud.Connects.Count);
        Assert.False(File.Exists(Path.Combine(Certs, "provisioning.json")));
    }

    [Fact]
    public async Task New_identity_refused_by_the_broker_leaves_agent_json_alone_and_resumes_later()
    {
        _cloud.RefusedClients.Add("shelf-0042");
        var before = File.ReadAllText(Config);

        var result = await RunAsync();

        Assert.Equal(ProvisioningStatus.IdentityRefused, result.Status);
        Assert.Equal(before, File.ReadAllText(Config));
        _cloud.RefusedClients.Clear();
        var requests = _cloud.Requests.Count;
        Assert.Equal(ProvisioningStatus.Provisioned, (await RunAsync()).Status);
        Assert.Equal(requests, _cloud.Requests.Count); // no second registration: the stored one is reused
    }

    [Fact]
    public async Task State_file_holds_the_token_and_is_private()
    {
        _cloud.RejectRegister = (500, "InternalFailure", "try later");

        await RunAsync();

        var state = Path.Combine(Certs, "provisioning.json");
        Assert.Equal(DurableFileModes.Private, File.GetUnixFileMode(state));
        Assert.Equal(DurableFileModes.Private, File.GetUnixFileMode(Path.Combine(Certs, "pending.key")));
        Assert.Contains("ownershipToken", File.ReadAllText(state), StringComparison.Ordinal);
    }

    private static string CertificateIdOf(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(certificate.RawData));

    public void Dispose()
    {
        _cloud.Dispose();
        _dir.Dispose();
        _progress.Dispose();
    }

    private static class DurableFileModes
    {
        public const UnixFileMode Private = ShelfAgent.Storage.DurableFile.Private;
        public const UnixFileMode GroupReadable = ShelfAgent.Storage.DurableFile.GroupReadable;
    }
}

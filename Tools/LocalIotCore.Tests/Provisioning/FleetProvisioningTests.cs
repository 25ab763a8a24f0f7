using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using MQTTnet;
using ShelfAgent.LocalIot.Provisioning;
using ShelfAgent.LocalIot.Registry;

namespace ShelfAgent.LocalIot.Tests.Provisioning;

/// <summary>The fixture's fleet provisioning API, driven by a raw MQTT client the way the developer guide describes it.</summary>
[Trait("Category", "Integration")]
public sealed class FleetProvisioningTests
{
    private const string CreateFromCsr = "$aws/certificates/create-from-csr/json";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Claim_gets_a_certificate_for_its_csr_and_registers_a_thing_that_then_connects()
    {
        await using var core = await LocalIotCore.StartAsync();
        core.AddProvisioningTemplate(new ProvisioningTemplate(core.Options.ProvisioningTemplate)
        {
            RequiredParameters = ["ThingName", "StoreId"],
            AttributesFromParameters = new Dictionary<string, string> { ["storeId"] = "StoreId" },
            DeviceConfiguration = new Dictionary<string, string> { ["region"] = "local" },
        });
        var claim = await core.IssueClaimCertificateAsync();
        await using var device = await core.ConnectAsync(claim, "provision-1");

        var (csr, key) = NewCsr("shelf-0001");
        var created = await RequestAsync(device, CreateFromCsr, new JsonObject { ["certificateSigningRequest"] = csr });
        Assert.EndsWith("/accepted", created.Topic, StringComparison.Ordinal);
        var body = Json(created);
        Assert.Matches("^[0-9a-f]{64}$", body["certificateId"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["certificateOwnershipToken"]!.GetValue<string>()));
        using var certificate = X509Certificate2.CreateFromPem(body["certificatePem"]!.GetValue<string>());
        Assert.Equal("shelf-0001", certificate.GetNameInfo(X509NameType.SimpleName, false));
        Assert.Equal(CertificateStatus.PendingActivation, core.Registry.Certificate(body["certificateId"]!.GetValue<string>())!.Status);

        var registered = await RequestAsync(device, $"$aws/provisioning-templates/{core.Options.ProvisioningTemplate}/provision/json", new JsonObject
        {
            ["certificateOwnershipToken"] = body["certificateOwnershipToken"]!.GetValue<string>(),
            ["parameters"] = new JsonObject { ["ThingName"] = "shelf-0001", ["StoreId"] = "store-7" },
        });
        Assert.EndsWith("/accepted", registered.Topic, StringComparison.Ordinal);
        Assert.Equal("shelf-0001", Json(registered)["thingName"]!.GetValue<string>());
        Assert.Equal("local", Json(registered)["deviceConfiguration"]!["region"]!.GetValue<string>());
        Assert.Equal("store-7", core.Registry.Thing("shelf-0001")!.Attributes["storeId"]);

        var dir = core.Broker.Directory;
        File.WriteAllText(Path.Combine(dir, "new.crt"), body["certificatePem"]!.GetValue<string>());
        File.WriteAllText(Path.Combine(dir, "new.key"), key);
        await using var provisioned = await core.ConnectAsync(new IssuedIdentity(Path.Combine(dir, "new.crt"), Path.Combine(dir, "new.key"), ""), "shelf-0001");
        Assert.Equal(MqttClientPublishReasonCode.Success, await provisioned.PublishAsync("$aws/things/shelf-0001/shadow/get", "{}", default));
    }

    [Fact]
    public async Task RegisterThing_is_rejected_with_statusCode_errorCode_errorMessage_when_a_parameter_is_missing_or_the_hook_refuses()
    {
        await using var core = await LocalIotCore.StartAsync();
        var template = core.Options.ProvisioningTemplate;
        core.AddProvisioningTemplate(new ProvisioningTemplate(template) { RequiredParameters = ["ThingName", "StoreId"] });
        var claim = await core.IssueClaimCertificateAsync();
        await using var device = await core.ConnectAsync(claim, "provision-2");
        var token = await OwnershipTokenAsync(device, "shelf-0002");

        var missing = await RequestAsync(device, $"$aws/provisioning-templates/{template}/provision/json", new JsonObject
        {
            ["certificateOwnershipToken"] = token,
            ["parameters"] = new JsonObject { ["ThingName"] = "shelf-0002" },
        });
        Assert.EndsWith("/rejected", missing.Topic, StringComparison.Ordinal);
        Assert.Equal(400, Json(missing)["statusCode"]!.GetValue<int>());
        Assert.Equal("InvalidParameters", Json(missing)["errorCode"]!.GetValue<string>());
        Assert.Contains("StoreId", Json(missing)["errorMessage"]!.GetValue<string>(), StringComparison.Ordinal);

        core.AddProvisioningTemplate(new ProvisioningTemplate(template) { Hook = _ => new IotRejection(403, "AccessDenied", "not on the allow-list") });
        var refused = await RequestAsync(device, $"$aws/provisioning-templates/{template}/provision/json", new JsonObject
        {
            ["certificateOwnershipToken"] = token,
            ["parameters"] = new JsonObject { ["ThingName"] = "shelf-0002" },
        });
        Assert.Equal(403, Json(refused)["statusCode"]!.GetValue<int>());
        Assert.Equal("AccessDenied", Json(refused)["errorCode"]!.GetValue<string>());
        Assert.Equal("not on the allow-list", Json(refused)["errorMessage"]!.GetValue<string>());
    }

    [Fact]
    public async Task RegisterThing_is_rejected_when_the_ownership_token_has_expired()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var core = await LocalIotCore.StartAsync(new LocalIotCoreOptions { Time = time, OwnershipTokenLifetime = TimeSpan.FromHours(1) });
        core.AddProvisioningTemplate(new ProvisioningTemplate(core.Options.ProvisioningTemplate));
        var claim = await core.IssueClaimCertificateAsync();
        await using var device = await core.ConnectAsync(claim, "provision-3");
        var token = await OwnershipTokenAsync(device, "shelf-0003");

        time.Advance(TimeSpan.FromHours(1));
        var expired = await RequestAsync(device, $"$aws/provisioning-templates/{core.Options.ProvisioningTemplate}/provision/json", new JsonObject
        {
            ["certificateOwnershipToken"] = token,
            ["parameters"] = new JsonObject { ["ThingName"] = "shelf-0003" },
        });
        Assert.EndsWith("/rejected", expired.Topic, StringComparison.Ordinal);
        Assert.Equal("InvalidCertificateOwnershipToken", Json(expired)["errorCode"]!.GetValue<string>());
        Assert.Null(core.Registry.Thing("shelf-0003"));
    }

    [Fact]
    public async Task Create_from_csr_is_rejected_when_the_request_is_not_a_csr()
    {
        await using var core = await LocalIotCore.StartAsync();
        var claim = await core.IssueClaimCertificateAsync();
        await using var device = await core.ConnectAsync(claim, "provision-4");
        var reply = await RequestAsync(device, CreateFromCsr, new JsonObject
        {
            ["certificateSigningRequest"] = "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----",
        });
        Assert.EndsWith("/rejected", reply.Topic, StringComparison.Ordinal);
        Assert.Equal(400, Json(reply)["statusCode"]!.GetValue<int>());
    }

    [Fact]
    public async Task Certificate_issued_after_refusal_is_switched_on_fails_the_tls_handshake()
    {
        await using var core = await LocalIotCore.StartAsync();
        await core.RegisterThingAsync("shelf-0005");
        var good = await core.IssueThingCertificateAsync("shelf-0005");
        core.RefuseNewCertificates = true;
        var refused = await core.IssueThingCertificateAsync("shelf-0005");

        await using (await core.ConnectAsync(good, "shelf-0005"))
        {
        }

        await Assert.ThrowsAnyAsync<Exception>(() => core.ConnectAsync(refused, "shelf-0005"));
    }

    [Fact]
    public async Task Claim_certificate_may_not_publish_to_a_thing_shadow()
    {
        await using var core = await LocalIotCore.StartAsync();
        var claim = await core.IssueClaimCertificateAsync();
        await using var device = await core.ConnectAsync(claim, "provision-6");
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await device.PublishAsync("$aws/things/shelf-0006/shadow/update", "{}", default));
    }

    internal static (string CsrPem, string KeyPem) NewCsr(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256);
        return (request.CreateSigningRequestPem(), key.ExportPkcs8PrivateKeyPem());
    }

    private static async Task<string> OwnershipTokenAsync(MqttTestClient device, string commonName)
    {
        var created = await RequestAsync(device, CreateFromCsr, new JsonObject { ["certificateSigningRequest"] = NewCsr(commonName).CsrPem });
        return Json(created)["certificateOwnershipToken"]!.GetValue<string>();
    }

    /// <summary>Subscribes to topic/accepted and topic/rejected first (the guide: "subscribe to the response topics"), then publishes.</summary>
    internal static async Task<MqttApplicationMessage> RequestAsync(MqttTestClient device, string topic, JsonObject payload)
    {
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await device.SubscribeAsync(topic + "/accepted", default));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await device.SubscribeAsync(topic + "/rejected", default));
        Assert.Equal(MqttClientPublishReasonCode.Success, await device.PublishAsync(topic, payload.ToJsonString(), default));
        using var cts = new CancellationTokenSource(Wait);
        while (true)
        {
            var message = await device.Received.ReadAsync(cts.Token);
            if (message.Topic == topic + "/accepted" || message.Topic == topic + "/rejected")
            {
                return message;
            }
        }
    }

    internal static JsonObject Json(MqttApplicationMessage message) =>
        JsonNode.Parse(Encoding.UTF8.GetString(message.Payload))!.AsObject();
}

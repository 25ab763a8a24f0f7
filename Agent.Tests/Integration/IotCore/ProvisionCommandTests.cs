using System.Text.Json.Nodes;
using ShelfAgent.IotCore.Provisioning;
using ShelfAgent.LocalIot;
using ShelfAgent.LocalIot.Broker;
using ShelfAgent.LocalIot.Provisioning;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration.IotCore;

/// <summary>
/// <c>shelf-agent provision</c> as a real process against the local AWS IoT Core (real mosquitto, mutual TLS, the
/// fleet provisioning API written from the developer guide), then <c>shelf-agent run</c> with the identity it made.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ProvisionCommandTests(ITestOutputHelper testOutput)
{
    // The template Cloud's claim policy names for stage "test" (LocalIotCoreOptions.ProvisioningTemplate): the claim may
    // call no other.
    private const string Template = "ShelfAgent-test";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    // The kills must land between two steps of the command: look often.
    private static readonly TimeSpan Quick = TimeSpan.FromMilliseconds(5);

    private static ProvisioningTemplate ShelfTemplate(Func<IReadOnlyDictionary<string, string>, IotRejection?>? hook = null) => new(Template)
    {
        RequiredParameters = ["ThingName", "StoreId"],
        AttributesFromParameters = new Dictionary<string, string> { ["storeId"] = "StoreId" },
        Hook = hook,
    };

    [Fact]
    public async Task Provision_then_run_connects_with_the_new_identity_and_never_the_claim()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, testOutput);
        var core = env.IotCore;
        core.AddProvisioningTemplate(ShelfTemplate());
        var device = await env.ClaimDeviceAsync();

        var (code, output) = await AgentProcess.RunAsync(device.ProvisionArgs(Template, "shelf-0101"));

        Assert.True(code == 0, output);
        Assert.Contains("registered as thing shelf-0101", output, StringComparison.Ordinal);
        var config = JsonNode.Parse(await File.ReadAllTextAsync(device.Config))!;
        Assert.Equal("shelf-0101", (string?)config["Device"]!["ThingName"]);
        Assert.Equal("store-7", (string?)config["Device"]!["StoreId"]);
        var keyFile = (string)config["Mqtt"]!["KeyFile"]!;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.Equal("store-7", core.Registry.Thing("shelf-0101")!.Attributes["storeId"]);
        var claimConnects = ClaimConnects(core);

        var agent = env.StartAgent(["run", "--config", device.Config]);
        await agent.WaitForOutputAsync("Connected to the broker");
        await agent.StopAsync();

        var connects = core.Operations().Where(o => o.Kind == MqttOperationKind.Connect && o.ClientId == "shelf-0101").ToList();
        Assert.NotEmpty(connects);
        Assert.All(connects, c => Assert.Equal("shelf-0101", c.Username));
        Assert.Equal(claimConnects, ClaimConnects(core));
    }

    [Fact]
    public async Task Second_provision_refuses_without_force_and_replaces_with_it_using_an_rsa_key()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, testOutput);
        var core = env.IotCore;
        core.AddProvisioningTemplate(ShelfTemplate());
        var device = await env.ClaimDeviceAsync();
        Assert.Equal(0, (await AgentProcess.RunAsync(device.ProvisionArgs(Template, "shelf-0102"))).ExitCode);
        var before = await File.ReadAllTextAsync(device.Config);
        var claimConnects = ClaimConnects(core);

        var (code, output) = await AgentProcess.RunAsync(device.ProvisionArgs(Template, "shelf-0103"));

        Assert.Equal(73, code);
        Assert.Contains("--force", output, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(device.Config));
        Assert.Equal(claimConnects, ClaimConnects(core));

        var (forced, forcedOutput) = await AgentProcess.RunAsync(device.ProvisionArgs(Template, "shelf-0103", "--force", "--key-type", "rsa"));
        Assert.True(forced == 0, forcedOutput);
        Assert.Contains("generated a new RSA 2048 key", forcedOutput, StringComparison.Ordinal);
        var identity = AgentJsonIdentity.Read(await File.ReadAllTextAsync(device.Config))!;
        Assert.Equal("shelf-0103", identity.ClientId);
        Assert.Contains("BEGIN PRIVATE KEY", await File.ReadAllTextAsync(identity.KeyFile!), StringComparison.Ordinal);
        using var rsa = CertificateSigningRequest.LoadKey(await File.ReadAllTextAsync(identity.KeyFile!));
        Assert.IsAssignableFrom<System.Security.Cryptography.RSA>(rsa);
    }

    [Fact]
    public async Task Rejected_template_prints_statusCode_errorCode_errorMessage_and_what_to_do()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, testOutput);
        var core = env.IotCore;
        core.AddProvisioningTemplate(ShelfTemplate(_ => new IotRejection(403, "AccessDenied", "Serial number not in the allow list.")));
        var device = await env.ClaimDeviceAsync();
        var before = await File.ReadAllTextAsync(device.Config);

        var (code, output) = await AgentProcess.RunAsync(device.ProvisionArgs(Template, "shelf-0104"));

        Assert.Equal(77, code);
        Assert.Contains($"AWS IoT rejected RegisterThing (template {Template})", output, StringComparison.Ordinal);
        Assert.Contains("statusCode:   403", output, StringComparison.Ordinal);
        Assert.Contains("errorCode:    AccessDenied", output, StringComparison.Ordinal);
        Assert.Contains("errorMessage: Serial number not in the allow list.", output, StringComparison.Ordinal);
        Assert.Contains("what to do:", output, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(device.Config));
    }

    [Fact]
    public async Task Rejected_csr_prints_statusCode_errorCode_errorMessage_and_what_to_do_and_rsa_then_succeeds()
    {
        // An account that signs no EC key (the fixture's CsrRefusal): create-from-csr answers on …/rejected.
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() { CsrRefusal = RefuseEcKeys } }, testOutput);
        var core = env.IotCore;
        core.AddProvisioningTemplate(ShelfTemplate());
        var device = await env.ClaimDeviceAsync();
        var before = await File.ReadAllTextAsync(device.Config);

        var (code, output) = await AgentProcess.RunAsync(device.ProvisionArgs(Template, "shelf-0109"));

        // certs/README.md: 77 (EX_NOPERM) when AWS rejected create-from-csr, its three fields printed.
        Assert.True(code == 77, output);
        Assert.Contains("AWS IoT rejected create-from-csr", output, StringComparison.Ordinal);
        Assert.Contains("statusCode:   400", output, StringComparison.Ordinal);
        Assert.Contains("errorCode:    InvalidCsr", output, StringComparison.Ordinal);
        Assert.Contains("errorMessage: Key algorithm EC is not supported for this account.", output, StringComparison.Ordinal);
        Assert.Contains("what to do: AWS could not use the certificate signing request. Run again with --key-type rsa", output, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(device.Config));
        Assert.DoesNotContain(core.Registry.Certificates(), c => c.CommonName == "shelf-0109");
        Assert.Null(core.Registry.Thing("shelf-0109"));

        // Doing what it says: the same command with an RSA key provisions the device.
        var (rsa, rsaOutput) = await AgentProcess.RunAsync(device.ProvisionArgs(Template, "shelf-0109", "--key-type", "rsa"));

        Assert.True(rsa == 0, rsaOutput);
        Assert.Equal("shelf-0109", AgentJsonIdentity.Read(await File.ReadAllTextAsync(device.Config))?.ClientId);
    }

    [Fact]
    public async Task Missing_parameter_is_rejected_with_the_aws_code_and_the_fix()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, testOutput);
        var core = env.IotCore;
        core.AddProvisioningTemplate(ShelfTemplate() with { RequiredParameters = ["ThingName", "StoreId", "SerialNumber"] });
        var device = await env.ClaimDeviceAsync();

        var (code, output) = await AgentProcess.RunAsync(device.ProvisionArgs(Template, "shelf-0105"));

        Assert.Equal(77, code);
        Assert.Contains("errorCode:    InvalidParameters", output, StringComparison.Ordinal);
        Assert.Contains("errorMessage: Missing required parameters: SerialNumber", output, StringComparison.Ordinal);
        Assert.Contains("--param", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_missing_in_the_account_is_rejected_with_404_and_the_fix()
    {
        // The claim policy allows the template, but nobody created it.
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, testOutput);
        var device = await env.ClaimDeviceAsync();

        var (code, output) = await AgentProcess.RunAsync(device.ProvisionArgs(Template, "shelf-0105"));

        Assert.Equal(77, code);
        Assert.Contains("statusCode:   404", output, StringComparison.Ordinal);
        Assert.Contains("errorCode:    ResourceNotFound", output, StringComparison.Ordinal);
        Assert.Contains("check --template", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expired_ownership_token_is_replaced_by_a_new_certificate_on_the_next_run()
    {
        // The fixture's clock moves an hour between the runs: the token stored by the first has expired by the second. It
        // starts two hours back so the certificates it signs afterwards are already valid by the device's real clock.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-2));
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() { Time = time } }, testOutput);
        var core = env.IotCore;
        var device = await env.ClaimDeviceAsync();
        // First run: the template does not exist yet, so the run stops after create-from-csr with the token stored.
        var (first, firstOutput) = await AgentProcess.RunAsync(device.ProvisionArgs(Template, "shelf-0106"));
        Assert.True(first == 77, firstOutput);
        Assert.Contains("ownershipToken", await File.ReadAllTextAsync(Path.Combine(device.Certs, "provisioning.json")), StringComparison.Ordinal);
        core.AddProvisioningTemplate(ShelfTemplate());
        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));

        var (code, output) = await AgentProcess.RunAsync(device.ProvisionArgs(Template, "shelf-0106"));

        Assert.True(code == 0, output);
        Assert.Contains(
            "RegisterThing refused the ownership token (statusCode 400, errorCode InvalidCertificateOwnershipToken",
            output,
            StringComparison.Ordinal);
        Assert.Equal(2, core.Operations().Count(o => o.Kind == MqttOperationKind.Publish && o.Topic == ProvisioningPayloads.CreateFromCsrTopic));
    }

    [Fact]
    public async Task Run_killed_while_registering_and_after_registering_succeeds_when_run_again()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, testOutput);
        var core = env.IotCore;
        using var entered = new SemaphoreSlim(0);
        using var release = new ManualResetEventSlim(false);
        var hold = true;
        core.AddProvisioningTemplate(ShelfTemplate(_ =>
        {
            if (hold)
            {
                // The fixture's service waits here: the device has sent RegisterThing and has no answer yet.
                entered.Release();
                release.Wait(Bound);
            }

            return null;
        }));
        var device = await env.ClaimDeviceAsync();

        // 1. Killed with its key written and nothing sent (the pending key appears before the claim connects).
        var keyWritten = env.StartAgent(device.ProvisionArgs(Template, "shelf-0107"));
        await Eventually.UntilAsync(
            () => File.Exists(Path.Combine(device.Certs, "pending.key")) || keyWritten.HasExited,
            Bound,
            "the pending key was written",
            every: Quick);
        await keyWritten.KillAsync();

        // 2. Killed after the CSR was signed, while RegisterThing is in flight.
        var registering = env.StartAgent(device.ProvisionArgs(Template, "shelf-0107"));
        Assert.True(await entered.WaitAsync(Bound), registering.Output);
        await registering.KillAsync();

        // The fixture registers the thing after the device died: its answer is lost, the token is spent.
        hold = false;
        release.Set();
        await env.UntilAsync(() => core.Registry.Thing("shelf-0107") is not null, "the fixture registered the thing");
        Assert.Null(AgentJsonIdentity.Read(await File.ReadAllTextAsync(device.Config))?.ClientId);

        // 3. Run again: the spent token is refused, a new certificate is registered, the identity installed.
        var (code, output) = await AgentProcess.RunAsync(device.ProvisionArgs(Template, "shelf-0107"));

        Assert.True(code == 0, output);
        Assert.Equal("shelf-0107", AgentJsonIdentity.Read(await File.ReadAllTextAsync(device.Config))?.ClientId);
        Assert.Equal(["device.crt", "device.key"], Directory.GetFiles(device.Certs).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var agentRun = env.StartAgent(["run", "--config", device.Config]);
        await agentRun.WaitForOutputAsync("Connected to the broker");
    }

    [Fact]
    public async Task Run_killed_after_registering_before_agent_json_installs_on_the_next_run_without_registering_again()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, testOutput);
        var core = env.IotCore;
        core.AddProvisioningTemplate(ShelfTemplate());
        var device = await env.ClaimDeviceAsync();
        var state = Path.Combine(device.Certs, "provisioning.json");

        // The registered thing is stored before the new identity is tried; the test kills the process there.
        var agent = env.StartAgent(device.ProvisionArgs(Template, "shelf-0108"));
        await Eventually.UntilAsync(
            () => (File.Exists(state) && File.ReadAllText(state).Contains("\"thingName\"", StringComparison.Ordinal)) || agent.HasExited,
            Bound,
            "the registered thing was stored",
            every: Quick);
        await agent.KillAsync();

        var registrations = core.Operations()
            .Count(o => o.Kind == MqttOperationKind.Publish && o.Topic.StartsWith("$aws/provisioning-templates/", StringComparison.Ordinal));
        var (code, output) = await AgentProcess.RunAsync(device.ProvisionArgs(Template, "shelf-0108"));

        Assert.True(code == 0, output);
        Assert.Equal("shelf-0108", AgentJsonIdentity.Read(await File.ReadAllTextAsync(device.Config))?.ClientId);
        Assert.Equal(
            registrations,
            core.Operations().Count(o => o.Kind == MqttOperationKind.Publish && o.Topic.StartsWith("$aws/provisioning-templates/", StringComparison.Ordinal)));
    }

    /// <summary>Refuses a CSR whose public key is EC (id-ecPublicKey, RFC 5480) the way AWS answers a CSR it will not sign.</summary>
    private static IotRejection? RefuseEcKeys(string csrPem)
    {
        var request = System.Security.Cryptography.X509Certificates.CertificateRequest.LoadSigningRequestPem(
            csrPem, System.Security.Cryptography.HashAlgorithmName.SHA256,
            System.Security.Cryptography.X509Certificates.CertificateRequestLoadOptions.SkipSignatureValidation);
        return request.PublicKey.Oid.Value == "1.2.840.10045.2.1"
            ? new IotRejection(400, "InvalidCsr", "Key algorithm EC is not supported for this account.")
            : null;
    }

    private static int ClaimConnects(LocalIotCore core) =>
        core.Operations().Count(o => o.Kind == MqttOperationKind.Connect && (o.Username ?? "").StartsWith("claim-", StringComparison.Ordinal));
}

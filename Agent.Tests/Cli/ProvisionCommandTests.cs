using ShelfAgent.Cli;
using ShelfAgent.IotCore.Provisioning;

namespace ShelfAgent.Tests.Cli;

/// <summary><c>shelf-agent provision</c>'s argument, input and config errors, as the real executable reports them.</summary>
public sealed class ProvisionCommandTests
{
    [Fact]
    public async Task Bad_param_and_template_name_exit_64_naming_each()
    {
        var (code, output) = await AgentProcess.RunAsync("provision", "--claim-cert", "c", "--claim-key", "k", "--template", "bad/name", "--param", "NoEquals");

        Assert.Equal(64, code);
        Assert.Contains("--param takes Key=Value (was \"NoEquals\")", output, StringComparison.Ordinal);
        Assert.Contains("--template takes a template name", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_claim_certificate_exits_66()
    {
        using var dir = new TempDirectory();

        var (code, output) = await AgentProcess.RunAsync(
            "provision",
            "--claim-cert", dir.File("none.crt"),
            "--claim-key", dir.File("none.key"),
            "--template", "T");

        Assert.Equal(66, code);
        Assert.Contains($"--claim-cert {dir.File("none.crt")}: file not found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_without_a_host_exits_78_but_needs_no_identity_keys()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("claim.crt"), "x");
        await File.WriteAllTextAsync(dir.File("claim.key"), "x");
        await File.WriteAllTextAsync(dir.File("agent.json"), """{ "Device": { "StoreId": "s" }, "Mqtt": { "Port": 8883 } }""");

        var (code, output) = await AgentProcess.RunAsync(
            "provision",
            "--claim-cert", dir.File("claim.crt"),
            "--claim-key", dir.File("claim.key"),
            "--template", "T",
            "--config", dir.File("agent.json"));

        Assert.Equal(78, code);
        Assert.Contains("Mqtt:Host: is required", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Device:ThingName", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Mqtt:CertFile", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ProvisioningStatus.Provisioned, 0)]
    [InlineData(ProvisioningStatus.IdentityExists, 73)]
    [InlineData(ProvisioningStatus.Rejected, 77)]
    [InlineData(ProvisioningStatus.Unavailable, 69)]
    [InlineData(ProvisioningStatus.IdentityRefused, 69)]
    [InlineData(ProvisioningStatus.FileError, 74)]
    public void Outcomes_map_to_the_documented_exit_codes(ProvisioningStatus status, int code)
    {
        Assert.Equal(code, ProvisionCommand.ExitCodeOf(status));
    }
}

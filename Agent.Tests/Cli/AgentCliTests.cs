
namespace ShelfAgent.Tests.Cli;

/// <summary>The real executable, as an installer runs it.</summary>
public sealed class AgentCliTests
{
    [Fact]
    public async Task Version_prints_the_version_and_exits_zero()
    {
        var (code, output) = await AgentProcess.RunAsync("--version");

        Assert.Equal(0, code);
        Assert.Matches(@"^\d+\.\d+\.\d+", output.Trim());
    }

    [Theory]
    [InlineData("run")]
    [InlineData("dev-certs")]
    [InlineData("doctor")]
    [InlineData("watch")]
    [InlineData("provision")]
    public async Task Help_is_available_on_every_command(string command)
    {
        var (code, output) = await AgentProcess.RunAsync(command, "--help");

        Assert.Equal(0, code);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_exits_78_listing_every_problem_without_a_stack_trace_when_the_config_is_wrong()
    {
        using var dir = new TempDirectory();
        var config = dir.File("agent.json");
        await File.WriteAllTextAsync(config, """{ "Device": { "ThingName": "t1" }, "Mqtt": { "Port": 99999 }, "Slots": [] }""");

        var (code, output) = await AgentProcess.RunAsync("run", "--config", config);

        Assert.Equal(78, code);
        Assert.Contains($"{config}: Device:StoreId: is required", output, StringComparison.Ordinal);
        Assert.Contains($"{config}: Mqtt:Port: must be from 1 to 65535", output, StringComparison.Ordinal);
        Assert.Contains($"{config}: Slots: must list at least one slot", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_exits_78_naming_the_file_when_it_does_not_exist()
    {
        var (code, output) = await AgentProcess.RunAsync("run", "--config", "/nonexistent/agent.json");

        Assert.Equal(78, code);
        Assert.Contains("/nonexistent/agent.json: (file): not found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dev_certs_writes_a_ca_broker_and_device_certificate_with_private_keys_0600()
    {
        using var dir = new TempDirectory();
        var certs = dir.File("certs");

        var (code, output) = await AgentProcess.RunAsync("dev-certs", "--out", certs, "--thing", "shelf-0042-01");

        Assert.True(code == 0, output);
        foreach (var key in new[] { "ca.key", "server.key", "shelf-0042-01.key" })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(certs, key)));
        }

        Assert.True(File.Exists(Path.Combine(certs, "shelf-0042-01.crt")));
    }
}

using ShelfAgent.Tests.Integration;

namespace ShelfAgent.Tests.Diagnostics;

/// <summary><c>shelf-agent doctor</c> as a technician runs it, against a real mosquitto (one for the class).</summary>
public sealed class DoctorTests(SharedBroker shared) : IClassFixture<SharedBroker>
{
    [Fact]
    public async Task Doctor_passes_every_check_and_connects_when_the_device_is_set_up_right()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared);
        var device = await env.DeviceAsync("shelf-doc-01");

        var (code, output) = await AgentProcess.RunAsync("doctor", "--config", device.Config);

        Assert.True(code == 0, output);
        Assert.Contains("connected to 127.0.0.1:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_fails_naming_the_expiry_when_the_device_certificate_has_expired()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared);
        using (var expired = env.Ca.IssueClient("shelf-old-01", lifetime: TimeSpan.FromDays(1), notBefore: DateTimeOffset.UtcNow.AddDays(-10)))
        {
            expired.WritePem(env.File("old.crt"), env.File("old.key"));
        }

        var device = await env.DeviceAsync("shelf-old-01", identity: (env.File("old.crt"), env.File("old.key")));

        var (code, output) = await AgentProcess.RunAsync("doctor", "--config", device.Config, "--no-connect");

        Assert.Equal(69, code);
        Assert.Contains("FAIL device certificate", output, StringComparison.Ordinal);
        Assert.Contains("expired", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_warns_from_80_percent_of_the_certificate_lifetime()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared);
        // 100 days long, 85 used: still 15 days left, under the old 30-day rule's radar only by its share.
        using (var aging = env.Ca.IssueClient("shelf-aging-01", lifetime: TimeSpan.FromDays(100), notBefore: DateTimeOffset.UtcNow.AddDays(-85)))
        {
            aging.WritePem(env.File("aging.crt"), env.File("aging.key"));
        }

        var device = await env.DeviceAsync("shelf-aging-01", identity: (env.File("aging.crt"), env.File("aging.key")));

        var (_, output) = await AgentProcess.RunAsync("doctor", "--config", device.Config, "--no-connect");

        Assert.Contains("warn device certificate", output, StringComparison.Ordinal);
        Assert.Contains("past 80% of its lifetime", output, StringComparison.Ordinal);
        Assert.Contains("rotate", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_fails_with_the_fix_when_the_private_key_is_readable_by_others()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared);
        var device = await env.DeviceAsync("shelf-doc-02");
        File.SetUnixFileMode(device.KeyFile!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var (code, output) = await AgentProcess.RunAsync("doctor", "--config", device.Config, "--no-connect");

        Assert.Equal(78, code);
        Assert.Contains($"FAIL private key", output, StringComparison.Ordinal);
        Assert.Contains($"fix: chmod 0600 {device.KeyFile}", output, StringComparison.Ordinal);
    }
}

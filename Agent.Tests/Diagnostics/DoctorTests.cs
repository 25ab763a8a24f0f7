using ShelfAgent.Security;
using ShelfAgent.Tests.Integration;
using ShelfAgent.LocalIot.Broker;

namespace ShelfAgent.Tests.Diagnostics;

/// <summary><c>shelf-agent doctor</c> as a technician runs it, against a real mosquitto.</summary>
public sealed class DoctorTests
{
    [Fact]
    public async Task Doctor_passes_every_check_and_connects_when_the_device_is_set_up_right()
    {
        using var dir = new TempDirectory("doctor");
        await using var broker = await MosquittoBroker.StartAsync();
        var (cert, key) = broker.IssueDevice("shelf-doc-01");
        var config = AgentConfigFile.Write(dir.File("agent.json"), broker, "shelf-doc-01", "store-0042", cert, key, dir.File("outbox.db"));

        var (code, output) = await AgentProcess.RunAsync("doctor", "--config", config);

        Assert.True(code == 0, output);
        Assert.Contains("connected to 127.0.0.1:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_fails_naming_the_expiry_when_the_device_certificate_has_expired()
    {
        using var dir = new TempDirectory("doctor");
        await using var broker = await MosquittoBroker.StartAsync();
        using var ca = DevCertificateAuthority.Load(broker.CaFile, Path.Combine(broker.Directory, "ca.key"));
        using (var expired = ca.IssueClient("shelf-old-01", lifetime: TimeSpan.FromDays(1), notBefore: DateTimeOffset.UtcNow.AddDays(-10)))
        {
            expired.WritePem(dir.File("old.crt"), dir.File("old.key"));
        }

        var config = AgentConfigFile.Write(dir.File("agent.json"), broker, "shelf-old-01", "store-0042", dir.File("old.crt"), dir.File("old.key"), dir.File("outbox.db"));

        var (code, output) = await AgentProcess.RunAsync("doctor", "--config", config, "--no-connect");

        Assert.Equal(69, code);
        Assert.Contains("FAIL device certificate", output, StringComparison.Ordinal);
        Assert.Contains("expired", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_warns_from_80_percent_of_the_certificate_lifetime()
    {
        using var dir = new TempDirectory("doctor");
        await using var broker = await MosquittoBroker.StartAsync();
        using var ca = DevCertificateAuthority.Load(broker.CaFile, Path.Combine(broker.Directory, "ca.key"));
        // 100 days long, 85 used: still 15 days left, under the old 30-day rule's radar only by its share.
        using (var aging = ca.IssueClient("shelf-aging-01", lifetime: TimeSpan.FromDays(100), notBefore: DateTimeOffset.UtcNow.AddDays(-85)))
        {
            aging.WritePem(dir.File("aging.crt"), dir.File("aging.key"));
        }

        var config = AgentConfigFile.Write(dir.File("agent.json"), broker, "shelf-aging-01", "store-0042", dir.File("aging.crt"), dir.File("aging.key"), dir.File("outbox.db"));

        var (_, output) = await AgentProcess.RunAsync("doctor", "--config", config, "--no-connect");

        Assert.Contains("warn device certificate", output, StringComparison.Ordinal);
        Assert.Contains("past 80% of its lifetime", output, StringComparison.Ordinal);
        Assert.Contains("rotate", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_fails_with_the_fix_when_the_private_key_is_readable_by_others()
    {
        using var dir = new TempDirectory("doctor");
        await using var broker = await MosquittoBroker.StartAsync();
        var (cert, key) = broker.IssueDevice("shelf-doc-02");
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var config = AgentConfigFile.Write(dir.File("agent.json"), broker, "shelf-doc-02", "store-0042", cert, key, dir.File("outbox.db"));

        var (code, output) = await AgentProcess.RunAsync("doctor", "--config", config, "--no-connect");

        Assert.Equal(78, code);
        Assert.Contains($"FAIL private key", output, StringComparison.Ordinal);
        Assert.Contains($"fix: chmod 0600 {key}", output, StringComparison.Ordinal);
    }
}

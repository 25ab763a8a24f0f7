using System.Text.Json;
using System.Text.Json.Nodes;

namespace ShelfAgent.Tests.Integration;

/// <summary>What the real process writes: journal lines under systemd, compact JSON in the log file when asked.</summary>
public sealed class AgentLogOutputTests(SharedBroker shared) : IClassFixture<SharedBroker>
{
    [Fact]
    public async Task Under_the_journal_every_console_line_starts_with_a_priority_and_the_host_says_nothing_about_its_content_root()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared);
        var device = await env.DeviceAsync("shelf-journal", c => c.Slots(1));
        // systemd.exec(5): JOURNAL_STREAM is "device:inode" of the stream the unit's output goes to.
        var agent = env.StartAgent(device, new Dictionary<string, string> { ["JOURNAL_STREAM"] = "8:12345" });
        await agent.WaitForOutputAsync("Connected to the broker");
        await agent.StopAsync();

        var lines = agent.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.Matches(@"^<[2-7]>", l));
        Assert.Contains(lines, l => l.StartsWith("<6>ShelfAgent: shelf-agent ", StringComparison.Ordinal));
        Assert.DoesNotContain("Content root path", agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Hosting environment", agent.Output, StringComparison.Ordinal);
        // No timestamp: the journal stamps each line itself.
        Assert.DoesNotMatch(@"^<\d>\d\d:\d\d:\d\d", lines[0]);
    }

    [Fact]
    public async Task With_Logging_Format_CompactJson_every_file_line_is_one_json_event()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared);
        var logFile = env.File("agent.log");
        var device = await env.DeviceAsync("shelf-clef", c => c.Slots(1)
            .Set("Logging", new JsonObject { ["Level"] = "Debug", ["File"] = logFile, ["Format"] = "CompactJson" }));
        var agent = env.StartAgent(device);
        await agent.WaitForOutputAsync("Connected to the broker");
        await agent.StopAsync();

        var written = Directory.GetFiles(env.Folder, "agent*.log").Single();
        var lines = File.ReadAllLines(written).Where(l => l.Length > 0).ToList();
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            Assert.True(json.RootElement.TryGetProperty("@t", out _), line);
            Assert.True(json.RootElement.TryGetProperty("@mt", out _), line);
        }

        Assert.Contains(
            lines,
            l => l.Contains("\"ThingName\":\"shelf-clef\"", StringComparison.Ordinal) && l.Contains("Connected to the broker", StringComparison.Ordinal));
    }
}

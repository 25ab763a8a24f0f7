using System.Text.Json;
using ShelfAgent.LocalIot.Broker;

namespace ShelfAgent.Tests.Integration;

/// <summary>What the real process writes: journal lines under systemd, compact JSON in the log file when asked.</summary>
public sealed class AgentLogOutputTests
{
    [Fact]
    public async Task Under_the_journal_every_console_line_starts_with_a_priority_and_the_host_says_nothing_about_its_content_root()
    {
        using var dir = new TempDirectory("journal");
        await using var broker = await MosquittoBroker.StartAsync();
        var (cert, key) = broker.IssueDevice("shelf-journal");
        var config = AgentConfigFile.Write(dir.File("agent.json"), broker, "shelf-journal", "store-0042", cert, key, dir.File("outbox.db"), slots: 1);
        // systemd.exec(5): JOURNAL_STREAM is "device:inode" of the stream the unit's output goes to.
        await using var agent = AgentProcess.Start(["run", "--config", config], new Dictionary<string, string> { ["JOURNAL_STREAM"] = "8:12345" });
        await WaitForAsync(agent, "Connected to the broker");
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
        using var dir = new TempDirectory("clef");
        await using var broker = await MosquittoBroker.StartAsync();
        var (cert, key) = broker.IssueDevice("shelf-clef");
        var config = AgentConfigFile.Write(dir.File("agent.json"), broker, "shelf-clef", "store-0042", cert, key, dir.File("outbox.db"), slots: 1);
        var logFile = dir.File("agent.log");
        File.WriteAllText(config, File.ReadAllText(config).Replace(
            "\"Logging\": { \"Level\": \"Debug\" }",
            $"\"Logging\": {{ \"Level\": \"Debug\", \"File\": \"{logFile}\", \"Format\": \"CompactJson\" }}",
            StringComparison.Ordinal));
        await using var agent = AgentProcess.Start("run", "--config", config);
        await WaitForAsync(agent, "Connected to the broker");
        await agent.StopAsync();

        var written = Directory.GetFiles(dir.Path, "agent*.log").Single();
        var lines = File.ReadAllLines(written).Where(l => l.Length > 0).ToList();
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            Assert.True(json.RootElement.TryGetProperty("@t", out _), line);
            Assert.True(json.RootElement.TryGetProperty("@mt", out _), line);
        }

        Assert.Contains(lines, l => l.Contains("\"ThingName\":\"shelf-clef\"", StringComparison.Ordinal) && l.Contains("Connected to the broker", StringComparison.Ordinal));
    }

    private static async Task WaitForAsync(AgentProcess agent, string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!agent.Output.Contains(text, StringComparison.Ordinal) && !agent.HasExited && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(agent.Output.Contains(text, StringComparison.Ordinal), agent.Output);
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ShelfAgent.Tests.Integration;

/// <summary>
/// ./demo.sh as a person runs it, Ctrl-C included: the script is started in its own process group and the
/// whole group gets SIGINT, as a terminal sends it. The broker's own log then shows the stop order. Meanwhile a
/// second terminal sends the demo device a config-update job and a desired shadow change with local-iot-core.
/// </summary>
public sealed class DemoScriptTests
{
    // The demo's fast slot runs low first (B3's sensor faults may raise fault alerts before it).
    private static readonly System.Text.RegularExpressions.Regex FirstAlert = new(@"\d\d:\d\d:\d\d  ALERT  C1 GUM-MINT-10: (low|empty)");

    [Fact]
    public async Task Demo_shows_an_alert_and_a_sensor_fault_in_a_minute_names_its_config_takes_a_job_and_a_desired_change_and_stops_on_ctrl_c_without_a_will()
    {
        using var dir = new TempDirectory("demo");
        var dev = dir.File("dev");
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "demo.sh"));
        start.Environment["SHELFAGENT_DEMO_DIR"] = dev;
        start.Environment["SHELFAGENT_DEMO_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        var binary = Path.Combine(AppContext.BaseDirectory, "shelf-agent");
        start.Environment["SHELFAGENT_DEMO_AGENT"] = binary;
        // As a person types it from the repository root.
        var agent = binary.StartsWith(RepoPaths.Root + "/", StringComparison.Ordinal) ? binary[(RepoPaths.Root.Length + 1)..] : binary;
        var output = new ConcurrentQueue<string>();
        using var demo = Process.Start(start)!;
        demo.OutputDataReceived += (_, e) => { if (e.Data is { } l) { output.Enqueue(l); } };
        demo.ErrorDataReceived += (_, e) => { if (e.Data is { } l) { output.Enqueue(l); } };
        demo.BeginOutputReadLine();
        demo.BeginErrorReadLine();
        string Text() => string.Join('\n', output);
        try
        {
            // The viewer's lines: the agent online, then within the first minute an alert and the agent's own fault warning.
            await Eventually.UntilAsync(
                () => demo.HasExited || (FirstAlert.IsMatch(Text()) && Text().Contains("agent  WRN Slot B3", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(90),
                "the demo showed an alert and B3's fault warning",
                Text);

            var shown = Text();
            Assert.False(demo.HasExited, shown);
            Assert.Contains("status demo-shelf-01 online", shown, StringComparison.Ordinal);
            Assert.Matches(FirstAlert, shown);
            // Within the first minute of the agent coming online (the viewer's clock stamps on both lines).
            var online = TimeSpan.Parse(
                System.Text.RegularExpressions.Regex.Match(shown, @"(\d\d:\d\d:\d\d)  status demo-shelf-01 online").Groups[1].Value,
                CultureInfo.InvariantCulture);
            var alert = TimeSpan.Parse(FirstAlert.Match(shown).Value[..8], CultureInfo.InvariantCulture);
            Assert.InRange((alert - online + TimeSpan.FromDays(1)).TotalSeconds % 86_400, 0, 60);
            Assert.Contains("agent  WRN Slot B3 sensor simulated load cell (ENERGY-250) failed", shown, StringComparison.Ordinal);
            Assert.DoesNotContain("unknown key", shown, StringComparison.Ordinal);
            Assert.DoesNotContain("\"schema\"", shown, StringComparison.Ordinal); // people see rows and lines, not JSON
            // Every command defaults to /etc/shelf-agent/agent.json: the demo says which binary and config are its own.
            Assert.Contains(
                $"demo.sh: the agent is {agent} with {dev}/agent.json (commands default to /etc/shelf-agent/agent.json: pass --config)",
                shown,
                StringComparison.Ordinal);
            Assert.Contains($"  {agent} buffer stats --config {dev}/agent.json", shown, StringComparison.Ordinal);

            // The demo device has a live shadow and jobs: the commands README and docs/jobs.md, docs/shadow.md show.
            var state = Path.Combine(dev, "iot-core");
            var (jobCode, job) = await CoreAsync("--state", state, "job", "create", "--thing", "demo-shelf-01", "--id", "cfg-1", "--wait",
                "--document", """{"operation":"config-update","changes":{"Publish":{"IntervalMs":5000}}}""");
            Assert.True(jobCode == 0, job + "\n" + Text());
            Assert.Contains("job cfg-1 on demo-shelf-01: SUCCEEDED (QUEUED → IN_PROGRESS → SUCCEEDED)", job, StringComparison.Ordinal);
            var (desireCode, desire) = await CoreAsync(
                "--state", state, "shadow", "desire", "--thing", "demo-shelf-01", """{"Sampling":{"IntervalMs":2000}}""");
            Assert.True(desireCode == 0, desire);
            var shadow = "";
            await Eventually.UntilAsync(
                async () =>
                {
                    shadow = (await CoreAsync("--state", state, "shadow", "show", "--thing", "demo-shelf-01")).Output;
                    return JsonNode.Parse(shadow)?["state"]?["reported"]?["Sampling"]?["IntervalMs"]?.GetValue<int>() == 2000;
                },
                TimeSpan.FromSeconds(60), "the desired Sampling:IntervalMs 2000 is reported", () => shadow + "\n" + Text());
            Assert.True(JsonNode.Parse(shadow)!["state"]!["delta"] is null, "the desired change was not applied and reported:\n" + shadow + "\n" + Text());
        }
        finally
        {
            // Ctrl-C: SIGINT to the script's whole process group.
            using (var kill = Process.Start("kill", ["-INT", "--", "-" + demo.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill!.WaitForExitAsync();
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await demo.WaitForExitAsync(cts.Token);
        }

        Assert.Equal(0, demo.ExitCode);
        var log = await File.ReadAllLinesAsync(Path.Combine(dev, "iot-core", "broker", "mosquitto.log"));
        int Line(string text) => Array.FindIndex(log, l => l.Contains(text, StringComparison.Ordinal));
        var agentGone = Line("Client demo-shelf-01 disconnected.");
        var viewerGone = Line("Client demo-viewer disconnected.");
        var brokerGone = Line("terminating");
        Assert.True(agentGone >= 0, "no orderly DISCONNECT from the agent:\n" + string.Join('\n', log));
        Assert.True(agentGone < viewerGone && viewerGone < brokerGone, string.Join('\n', log));
        // A connection lost without DISCONNECT is what makes the broker publish the will.
        Assert.DoesNotContain(log, l => l.Contains("demo-shelf-01", StringComparison.Ordinal)
            && (l.Contains("Socket error", StringComparison.Ordinal)
                || l.Contains("closed its connection", StringComparison.Ordinal)
                || l.Contains("exceeded timeout", StringComparison.Ordinal)));
        // The viewer says OFFLINE only for a last will; the agent's own {"online":false,"ts":…} of its clean stop reads "offline".
        Assert.DoesNotContain("OFFLINE", Text(), StringComparison.Ordinal);
        Assert.Contains("demo.sh: stopped.", Text(), StringComparison.Ordinal);
        Assert.Contains(
            $"demo.sh: the agent was {agent} with {dev}/agent.json; try: {agent} buffer stats --config {dev}/agent.json",
            Text(),
            StringComparison.Ordinal);
        // The viewer's last word (its output is a pipe here): the status line, then the table with settled counts and net grams.
        Assert.True(
            Regex.IsMatch(
                Text(),
                @"(?m)^demo-shelf-01: (online since \d\d:\d\d:\d\d \(shelf-agent [^)]+\)|offline since \d\d:\d\d:\d\d) · " +
                // The lanes come from the buffer file when the viewer can read it; from a shadow report they may be absent.
                @"telemetry \d+ s ago · buffer \d+ waiting( \(\d+ events, \d+ live, \d+ backlog\))?"),
            "no viewer status line at the end:\n" + Text());
        Assert.Matches(@"(?m)^SLOT\s+SKU\s+COUNT\s+NET G\s+STATUS\s+LAST EVENT\s+AT$", Text());
        // B3's faults are one line and then a count a minute in the agent's log, not a line each.
        var agentLog = await File.ReadAllLinesAsync(Path.Combine(dev, "agent.console.log"));
        Assert.Single(agentLog, l => l.Contains("Slot B3 sensor simulated load cell (ENERGY-250) failed:", StringComparison.Ordinal));
    }

    /// <summary>local-iot-core from a second terminal (it is built beside the test, as shelf-agent is).</summary>
    private static async Task<(int Code, string Output)> CoreAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "local-iot-core"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var stdout = process.StandardOutput.ReadToEndAsync(bound.Token);
        var stderr = process.StandardError.ReadToEndAsync(bound.Token);
        await process.WaitForExitAsync(bound.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace ShelfAgent.Tests.Integration;

/// <summary>
/// ./demo.sh as a person runs it, Ctrl-C included: the script is started in its own process group and the
/// whole group gets SIGINT, as a terminal sends it. The broker's own log then shows the stop order.
/// </summary>
public sealed class DemoScriptTests
{
    // The demo's fast slot runs low first (B3's sensor faults may raise fault alerts before it).
    private static readonly System.Text.RegularExpressions.Regex FirstAlert = new(@"\d\d:\d\d:\d\d  ALERT  C1 GUM-MINT-10: (low|empty)");

    [Fact]
    public async Task Demo_shows_an_alert_and_a_sensor_fault_within_a_minute_and_ctrl_c_stops_the_agent_before_the_broker_without_a_will()
    {
        using var dir = new TempDirectory("demo");
        var dev = dir.File("dev");
        var start = new ProcessStartInfo("setsid") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "demo.sh"));
        start.Environment["SHELFAGENT_DEMO_DIR"] = dev;
        start.Environment["SHELFAGENT_DEMO_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        start.Environment["SHELFAGENT_DEMO_AGENT"] = Path.Combine(AppContext.BaseDirectory, "shelf-agent");
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
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (DateTime.UtcNow < deadline && !demo.HasExited
                   && !(FirstAlert.IsMatch(Text()) && Text().Contains("agent  WRN Slot B3", StringComparison.Ordinal)))
            {
                await Task.Delay(200);
            }

            var shown = Text();
            Assert.False(demo.HasExited, shown);
            Assert.Contains("status demo-shelf-01 online", shown, StringComparison.Ordinal);
            Assert.Matches(FirstAlert, shown);
            // Within the first minute of the agent coming online (the viewer's clock stamps on both lines).
            var online = TimeSpan.Parse(System.Text.RegularExpressions.Regex.Match(shown, @"(\d\d:\d\d:\d\d)  status demo-shelf-01 online").Groups[1].Value, CultureInfo.InvariantCulture);
            var alert = TimeSpan.Parse(FirstAlert.Match(shown).Value[..8], CultureInfo.InvariantCulture);
            Assert.InRange((alert - online + TimeSpan.FromDays(1)).TotalSeconds % 86_400, 0, 60);
            Assert.Contains("agent  WRN Slot B3 sensor simulated load cell (ENERGY-250) failed", shown, StringComparison.Ordinal);
            Assert.DoesNotContain("unknown key", shown, StringComparison.Ordinal);
            Assert.DoesNotContain("\"schema\"", shown, StringComparison.Ordinal); // people see rows and lines, not JSON
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
        var log = await File.ReadAllLinesAsync(Path.Combine(dev, "mosquitto.log"));
        int Line(string text) => Array.FindIndex(log, l => l.Contains(text, StringComparison.Ordinal));
        var agentGone = Line("Client demo-shelf-01 disconnected.");
        var viewerGone = Line("Client demo-viewer disconnected.");
        var brokerGone = Line("terminating");
        Assert.True(agentGone >= 0, "no orderly DISCONNECT from the agent:\n" + string.Join('\n', log));
        Assert.True(agentGone < viewerGone && viewerGone < brokerGone, string.Join('\n', log));
        // A connection lost without DISCONNECT is what makes the broker publish the will.
        Assert.DoesNotContain(log, l => l.Contains("demo-shelf-01", StringComparison.Ordinal) && (l.Contains("Socket error", StringComparison.Ordinal) || l.Contains("closed its connection", StringComparison.Ordinal) || l.Contains("exceeded timeout", StringComparison.Ordinal)));
        // The viewer may show the agent's own {"online":false} of its clean stop: the broker log above is what proves no will.
        Assert.Contains("demo.sh: stopped.", Text(), StringComparison.Ordinal);
    }
}

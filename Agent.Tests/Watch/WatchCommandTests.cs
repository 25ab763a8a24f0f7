using System.Diagnostics;
using System.Text;
using ShelfAgent.Cli;
using ShelfAgent.Contract;
using ShelfAgent.Stock;
using ShelfAgent.Tests.Outbox;

namespace ShelfAgent.Tests.Watch;

/// <summary>The real executable fed 'mosquitto_sub -v' lines on standard input, its output in a pipe.</summary>
public sealed class WatchCommandTests
{
    private const string Prefix = "dt/shelf/store-0042/demo-shelf-01/";

    private static async Task<(int Code, string Output)> WatchAsync(string input, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "shelf-agent.dll"), "watch" }.Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output + error);
    }

    private static string Input()
    {
        var envelope = new TelemetryEnvelope("demo-shelf-01", "store-0042");
        var t = DateTimeOffset.UtcNow;
        var telemetry = Encoding.UTF8.GetString(TelemetryV1Encoder.Encode(envelope, t, [new(1, new Reading(t, "A1", "COLA-355", 4416, 12, StockStatus.Ok))]));
        var alert = Encoding.UTF8.GetString(StockMessageEncoder.Encode(envelope, new StockAlert(t, "A1", "COLA-355", StockAlertType.Low, 4)));
        return $"{Prefix}status {{\"online\":true,\"version\":\"1.2.3\"}}\n{Prefix}telemetry {telemetry}\n{Prefix}alerts {alert}\n{Prefix}forecast {{}}\n";
    }

    [Fact]
    public async Task Watch_prints_status_and_alerts_as_lines_and_the_slot_table_without_json()
    {
        var (code, output) = await WatchAsync(Input());

        Assert.Equal(0, code);
        Assert.Contains("status demo-shelf-01 online (shelf-agent 1.2.3)", output, StringComparison.Ordinal);
        Assert.Contains("ALERT  A1 COLA-355: low (count 4)", output, StringComparison.Ordinal);
        // The count the low alert settled (4), not the one reading's raw 12; grams as the wire has them, and said so.
        Assert.Matches(@"(?m)^SLOT\s+SKU\s+COUNT\s+GROSS G\s+STATUS\s+LAST EVENT\s+AT$", output);
        Assert.Matches(@"(?m)^A1\s+COLA-355\s+4\s+4416\s+low\s+ALERT low\s+\d\d:\d\d:\d\d$", output);
        Assert.Matches(@"(?m)^demo-shelf-01: online since \d\d:\d\d:\d\d \(shelf-agent 1.2.3\) · telemetry \d+ s ago · buffer depth not known here", output);
        Assert.Contains("(1 messages on other topics not shown; --raw shows everything)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\"schema\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", output, StringComparison.Ordinal); // a pipe gets plain text
    }

    [Fact]
    public async Task Watch_with_the_devices_config_shows_net_grams_and_the_buffer_depth_from_its_file()
    {
        using var dir = new TempDirectory("watch");
        var outboxPath = dir.File("outbox.db");
        await using (var outbox = await OutboxTestData.OpenAsync(outboxPath))
        {
            await outbox.AppendAsync(OutboxTestData.Readings(3, "A1", DateTimeOffset.UtcNow), CancellationToken.None);
        }

        var config = dir.File("agent.json");
        await File.WriteAllTextAsync(config, $$"""
            {
              "Device": { "ThingName": "demo-shelf-01", "StoreId": "store-0042" },
              "Buffer": { "Path": "{{outboxPath}}" },
              "Slots": [ { "Id": "A1", "Sku": "COLA-355", "UnitGrams": 368, "TareGrams": 150, "Capacity": 24, "LowStockAt": 4,
                           "Sensor": { "Type": "Simulated" } } ]
            }
            """);

        var (code, output) = await WatchAsync(Input(), "--config", config);

        Assert.True(code == 0, output);
        Assert.Matches(@"(?m)^SLOT\s+SKU\s+COUNT\s+NET G\s+", output);
        Assert.Matches(@"(?m)^A1\s+COLA-355\s+4\s+4266\s+low\s", output);
        Assert.Contains("buffer 3 waiting (0 events, 3 live, 0 backlog), oldest ", output, StringComparison.Ordinal);
        Assert.Contains("from the buffer file " + outboxPath, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_raw_prints_the_messages_as_they_came()
    {
        var input = Input();

        var (code, output) = await WatchAsync(input, "--raw");

        Assert.Equal(0, code);
        Assert.Equal(input.Trim(), output.Trim());
    }

    [Fact]
    public async Task Watch_shows_the_agents_warnings_from_its_log()
    {
        using var dir = new TempDirectory("watch");
        var log = dir.File("agent.console.log");
        await File.WriteAllTextAsync(
            log,
            "23:11:52.398 WRN ShelfAgent.Sensors.B3: Slot B3 sensor failed: timeout (1 in a row)\n" +
            "23:11:53.394 INF ShelfAgent.Sensors.B3: Slot B3 sensor recovered\n");

        // Standard input stays open until the log line is shown, as mosquitto_sub's would.
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "shelf-agent.dll"), "watch", "--log", log })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        process.StandardInput.Close();
        await process.WaitForExitAsync();

        Assert.Equal("23:11:52  agent  WRN Slot B3 sensor failed: timeout (1 in a row)", line);
    }

    [Fact]
    public void Agent_log_lines_below_warning_are_not_shown()
    {
        Assert.Null(WatchCommand.AgentLogLine("23:11:53.394 INF ShelfAgent.Sensors.B3: Slot B3 sensor recovered"));
        Assert.Equal("23:11:52  agent  ERR boom", WatchCommand.AgentLogLine("23:11:52.000 ERR ShelfAgent: boom"));
    }
}

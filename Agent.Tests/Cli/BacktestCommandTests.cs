using System.CommandLine;
using ShelfAgent.Cli;

namespace ShelfAgent.Tests.Cli;

public sealed class BacktestCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Reading(long seq, DateTimeOffset ts, int? count) => count is { } c
        ? $$"""{"type":"reading","seq":{{seq}},"ts":"{{ts:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}}","slot":"A1","sku":"COLA-355","grams":""" +
          $$"""{{150 + (c * 368)}},"count":{{c}},"status":"{{(c == 0 ? "empty" : c <= 4 ? "low" : "ok")}}"}"""
        : $$"""{"type":"reading","seq":{{seq}},"ts":"{{ts:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}}","slot":"A1","sku":"COLA-355","grams":""" +
          """null,"count":null,"status":"fault","reason":"timeout"}""";

    [Fact]
    public async Task Replays_export_lines_reports_bad_lines_by_number_and_writes_messages_and_summary()
    {
        var start = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
        var lines = new List<string>();
        long seq = 0;
        for (var count = 12; count >= 0; count--)
        {
            for (var i = 0; i < 20; i++)
            {
                lines.Add(Reading(++seq, start.AddSeconds(15 * seq), count));
            }
        }

        lines.Insert(5, "{not json");
        lines.Insert(9, """{"type":"event","id":1,"kind":"events","ts":"2026-11-23T09:00:00.000Z","payload":{}}""");
        lines.Insert(12, """{"type":"reading","seq":0,"ts":"yesterday","slot":"A1","sku":"COLA-355","count":3,"status":"ok"}""");
        var readings = _dir.File("readings.jsonl");
        await File.WriteAllLinesAsync(readings, lines);
        var config = _dir.File("agent.json");
        await File.WriteAllTextAsync(config, """
            { "Device": { "ThingName": "shelf-0042-01", "StoreId": "store-0042" },
              "Slots": [ { "Id": "A1", "Sku": "COLA-355", "UnitGrams": 368, "TareGrams": 150, "Capacity": 24, "LowStockAt": 4,
                           "Sensor": { "Type": "Simulated" } } ] }
            """);
        var output = _dir.File("out.jsonl");

        var (code, stdout, stderr) = await RunAsync("--readings", readings, "--config", config, "--out", output);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains($"{readings}:6: not JSON", stderr, StringComparison.Ordinal);
        Assert.Contains($"{readings}:13: ts must be a timestamp", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(":10:", stderr, StringComparison.Ordinal);
        Assert.Contains("(2 bad lines skipped)", stdout, StringComparison.Ordinal);
        // The per-slot summary: plain aligned text when not on a terminal (the JSON lines went to --out).
        Assert.Matches(
            @"(?m)^thing\s+slot\s+sku\s+readings\s+faults\s+picks\s+items\s+restocks\s+count\s+profile\s+episodes\s+cleared by restock\s+alerts$",
            stdout);
        Assert.Matches(@"(?m)^shelf-0042-01\s+A1\s+COLA-355\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+\w+\s+.*low", stdout);
        Assert.DoesNotContain("\u001b", stdout, StringComparison.Ordinal);
        var written = await File.ReadAllLinesAsync(output);
        Assert.Contains(written, l => l.Contains("\"type\":\"pick\"", StringComparison.Ordinal));
        Assert.Contains(written, l => l.Contains("\"type\":\"low\"", StringComparison.Ordinal));
        Assert.Contains(written, l => l.Contains("\"type\":\"empty\"", StringComparison.Ordinal));
        Assert.Contains(written, l => l.Contains("shelf.forecast.v1", StringComparison.Ordinal));
        Assert.All(written, l => Assert.Contains("\"thing\":\"shelf-0042-01\"", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bad_config_names_the_key_and_exits_78_without_needing_certificates()
    {
        var config = _dir.File("agent.json");
        await File.WriteAllTextAsync(config, """{ "Device": { "ThingName": "t", "StoreId": "s" }, "Stock": { "PredictConfidence": 2 } }""");
        var readings = _dir.File("r.jsonl");
        await File.WriteAllTextAsync(readings, "");

        var (code, _, stderr) = await RunAsync("--readings", readings, "--config", config);

        Assert.Equal(ExitCodes.Config, code);
        Assert.Contains("Stock:PredictConfidence", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Mqtt", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_readings_file_is_an_io_error()
    {
        var (code, _, stderr) = await RunAsync("--readings", _dir.File("none.jsonl"));

        Assert.Equal(ExitCodes.IoError, code);
        Assert.Contains("none.jsonl", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scores_against_a_truth_file_when_given_one()
    {
        var start = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
        var lines = new List<string>();
        long seq = 0;
        for (var count = 12; count >= 0; count--)
        {
            for (var i = 0; i < 20; i++)
            {
                lines.Add(Reading(++seq, start.AddSeconds(15 * seq), count));
            }
        }

        var readings = _dir.File("readings.jsonl");
        await File.WriteAllLinesAsync(readings, lines);
        var empty = start.AddSeconds(15 * 241);
        var truth = _dir.File("shelf-0042-01.truth.jsonl");
        await File.WriteAllLinesAsync(truth,
        [
            $$"""{"type":"store","ts":"{{start:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}}","thing":"shelf-0042-01","archetype":"kiosk","utcOffset":"+00:00"}""",
            $$"""{"type":"stockout-start","ts":"{{empty:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}}","thing":"shelf-0042-01","slot":"A1"}""",
        ]);
        var config = _dir.File("agent.json");
        await File.WriteAllTextAsync(config, """
            { "Device": { "ThingName": "shelf-0042-01", "StoreId": "store-0042" },
              "Slots": [ { "Id": "A1", "Sku": "COLA-355", "UnitGrams": 368, "TareGrams": 150, "Capacity": 24, "LowStockAt": 4,
                           "Sensor": { "Type": "Simulated" } } ] }
            """);

        var (code, stdout, _) = await RunAsync("--readings", readings, "--config", config, "--out", _dir.File("out.jsonl"), "--truth", truth);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Matches(@"(?m)^thing\s+slot\s+.*\s+stock-outs\s+caught @30\s+misses\s+false alarms\s+alerts$", stdout);
        Assert.Contains("scored against --truth: 1 stock-outs, recall @0/15/30/60", stdout, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await BacktestCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}

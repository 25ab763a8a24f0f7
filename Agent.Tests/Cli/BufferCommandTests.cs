using System.CommandLine;
using System.Text.Json;
using ShelfAgent.Cli;
using ShelfAgent.Outbox;
using static ShelfAgent.Tests.Outbox.OutboxTestData;

namespace ShelfAgent.Tests.Cli;

public sealed class BufferCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string DbPath => _dir.File("outbox.db");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Stats_prints_lane_depths_while_the_outbox_is_open()
    {
        await using var outbox = await OpenAsync(DbPath);
        await outbox.AppendAsync(Readings(3, "A1", DateTimeOffset.UtcNow.AddDays(-1)), CancellationToken.None);
        await outbox.AppendAsync(Readings(2, "A1", DateTimeOffset.UtcNow), CancellationToken.None);

        var (code, output, _) = await RunAsync("stats", "--path", DbPath);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("live       2 readings", output, StringComparison.Ordinal);
        Assert.Contains("backlog    3 older readings", output, StringComparison.Ordinal);
        Assert.Contains("oldest     1d 00:00:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_as_json_has_every_counter()
    {
        await using var outbox = await OpenAsync(DbPath);
        await outbox.AppendAsync(Readings(1), CancellationToken.None);
        var (code, output, _) = await RunAsync("stats", "--path", DbPath, "--json");
        Assert.Equal(ExitCodes.Ok, code);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(1, doc.RootElement.GetProperty("live").GetInt64() + doc.RootElement.GetProperty("backlog").GetInt64());
        Assert.Equal(0, doc.RootElement.GetProperty("recovered").GetInt64());
        Assert.Equal(2, doc.RootElement.GetProperty("nextSeq").GetInt64());
    }

    [Fact]
    public async Task Export_writes_one_json_line_per_event_and_reading_since_the_given_age()
    {
        await using var outbox = await OpenAsync(DbPath);
        await outbox.AppendAsync(Readings(4, "A1", DateTimeOffset.UtcNow.AddDays(-3)), CancellationToken.None);
        await outbox.AppendAsync(
            [new(DateTimeOffset.UtcNow, "B2", "CHIPS-40", null, null, ShelfAgent.Stock.StockStatus.Fault, "timeout")],
            CancellationToken.None);
        await outbox.AppendEventAsync(
            new OutboxEvent(new ShelfAgent.Stock.StockEvent(DateTimeOffset.UtcNow, "A1", "COLA-330", ShelfAgent.Stock.StockEventType.Pick, -1, 9)),
            CancellationToken.None);

        var (code, output, _) = await RunAsync("export", "--path", DbPath, "--since", "36h", "--format", "jsonl");

        Assert.Equal(ExitCodes.Ok, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var ev = JsonDocument.Parse(lines[0]);
        Assert.Equal("event", ev.RootElement.GetProperty("type").GetString());
        Assert.Equal("Pick", ev.RootElement.GetProperty("payload").GetProperty("Type").GetString());
        Assert.Equal(9, ev.RootElement.GetProperty("payload").GetProperty("Count").GetInt32());
        using var reading = JsonDocument.Parse(lines[1]);
        Assert.Equal(5, reading.RootElement.GetProperty("seq").GetInt64());
        Assert.Equal("fault", reading.RootElement.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, reading.RootElement.GetProperty("grams").ValueKind);
        Assert.Equal("timeout", reading.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Stats_of_a_missing_file_fail_with_EX_IOERR_and_name_it()
    {
        var (code, _, error) = await RunAsync("stats", "--path", _dir.File("missing.db"));
        Assert.Equal(ExitCodes.IoError, code);
        Assert.Contains("missing.db", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_refuses_an_unreadable_since()
    {
        var (code, _, error) = await RunAsync("export", "--path", DbPath, "--since", "last tuesday");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--since", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("90m", 90 * 60)]
    [InlineData("36h", 36 * 3600)]
    [InlineData("7d", 7 * 86400)]
    [InlineData("1.5h", 5400)]
    public void Since_accepts_ages(string text, int seconds)
    {
        var now = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        Assert.True(BufferCommand.TryParseSince(text, now, out var since));
        Assert.Equal(now.AddSeconds(-seconds), since);
    }

    [Fact]
    public void Since_reads_an_ISO_time_as_UTC_unless_it_says_otherwise()
    {
        Assert.True(BufferCommand.TryParseSince("2026-11-20T08:00:00", DateTimeOffset.UtcNow, out var utc));
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero), utc);
        Assert.True(BufferCommand.TryParseSince("2026-11-20T08:00:00+01:00", DateTimeOffset.UtcNow, out var cet));
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 7, 0, 0, TimeSpan.Zero), cet.ToUniversalTime());
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await BufferCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}

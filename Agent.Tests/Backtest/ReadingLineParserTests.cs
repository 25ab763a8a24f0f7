using ShelfAgent.Backtest;
using ShelfAgent.Stock;

namespace ShelfAgent.Tests.Backtest;

public sealed class ReadingLineParserTests
{
    [Fact]
    public void Reads_a_lake_row_with_an_athena_timestamp_and_its_thing()
    {
        var outcome = ReadingLineParser.Parse(
            """{"schema":"shelf.telemetry.v1","thing":"shelf-0042-01","store":"store-0042","seq":""" +
            """77,"ts":"2026-11-22 05:20:00.123","slot":"A1","sku":"COLA-355","grams":3462.1,"count":9,"status":"ok","reason":null}""",
            4,
            out var line,
            out _);

        Assert.Equal(ReadingLineParser.Outcome.Reading, outcome);
        Assert.Equal(("shelf-0042-01", "store-0042", 77L, 9), (line!.Thing, line.Store, line.Seq!.Value, line.Reading.Count!.Value));
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 5, 20, 0, 123, TimeSpan.Zero), line.Reading.Timestamp);
    }

    [Fact]
    public void Reads_a_fault_and_skips_an_exported_event()
    {
        Assert.Equal(ReadingLineParser.Outcome.Reading, ReadingLineParser.Parse(
            """{"type":"reading","seq":1,"ts":"2026-11-22T05:20:00.000Z","slot":"A1","sku":"X","grams":""" +
            """null,"count":null,"status":"fault","reason":"timeout"}""",
            1,
            out var fault,
            out _));
        Assert.Equal(StockStatus.Fault, fault!.Reading.Status);
        Assert.Equal(ReadingLineParser.Outcome.Skipped, ReadingLineParser.Parse(
            """{"type":"event","id":3,"kind":"alerts","ts":"2026-11-22T05:20:00.000Z","payload":{}}""", 2, out _, out _));
    }

    [Theory]
    [InlineData("""{"ts":"2026-11-22T05:20:00.000Z","slot":"A1","sku":"X","count":3,"status":"full"}""", "status must be")]
    [InlineData("""{"ts":"2026-11-22T05:20:00.000Z","slot":"A1","sku":"X","count":null,"status":"ok"}""", "count is null")]
    [InlineData("""{"ts":"2026-11-22T05:20:00.000Z","sku":"X","count":3,"status":"ok"}""", "slot and sku")]
    [InlineData("""[1,2]""", "not a JSON object")]
    public void Names_what_is_wrong_with_a_bad_line(string text, string problem)
    {
        Assert.Equal(ReadingLineParser.Outcome.Bad, ReadingLineParser.Parse(text, 1, out _, out var message));
        Assert.Contains(problem, message, StringComparison.Ordinal);
    }
}

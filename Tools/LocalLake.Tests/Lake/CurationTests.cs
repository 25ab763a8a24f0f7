using ShelfAgent.LocalLake.Lake;

namespace ShelfAgent.LocalLake.Tests.Lake;

/// <summary>The Cloud's MERGE curation, run by DuckDB as written (window bound), on Parquet raw tables.</summary>
public sealed class CurationTests
{
    [Fact]
    public void Curation_keeps_one_row_per_reading_when_raw_holds_copies_and_it_runs_twice()
    {
        using var lake = new TestLake();
        var rows = Path.Combine(lake.Directory, "rows.jsonl");
        var line = """{"schema":"shelf.event.v1","thing":"t-1","store":"s-1","ts":"2026-10-05T10:00:00Z","slot":"A1","sku":"X",""" +
                   """ "type":"pick","delta":-1,"count":4,"received":"2026-10-05T10:00:05Z"}""";
        File.WriteAllLines(rows, [line, line, line.Replace("10:00:00Z", "11:00:00Z", StringComparison.Ordinal)]);
        Assert.Equal(3, lake.Store.AppendRawJson(LakeTables.Events, rows, "received"));
        Assert.True(Directory.Exists(Path.Combine(lake.Directory, "raw", "events", "dt=2026-10-05")));

        Curation.Run(lake.Store, "2026-10-01");
        Curation.Run(lake.Store, "2026-10-01");

        Assert.Equal(2L, Convert.ToInt64(lake.Scalar("SELECT count(*) FROM curated_events"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("2026-10-05", lake.Scalar("SELECT min(dt) FROM curated_events"));
    }

    [Fact]
    public void Named_queries_run_on_the_lake_with_now_bound()
    {
        using var lake = new TestLake();
        var result = lake.Store.Query(NamedQueries.Resolve("prediction-health", new DateTimeOffset(2026, 10, 19, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(["store", "dt", "stock_outs", "caught", "missed", "predicted_alerts"], result.Columns);
        Assert.Empty(result.Rows);
        var restock = NamedQueries.Resolve("restock-list", new DateTimeOffset(2026, 10, 19, 0, 0, 0, TimeSpan.Zero));
        Assert.Contains("DATE '2026-10-19'", restock, StringComparison.Ordinal);
    }
}

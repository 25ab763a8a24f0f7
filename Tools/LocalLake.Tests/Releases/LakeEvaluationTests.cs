using System.Globalization;
using ShelfAgent.Cloud.Governance;
using ShelfAgent.LocalLake.Lake;
using ShelfAgent.LocalLake.Releases;

namespace ShelfAgent.LocalLake.Tests.Releases;

/// <summary><c>evaluate --from-lake</c>: the held-out week's readings replayed from the lake, scored as release-health scores.</summary>
public sealed class LakeEvaluationTests
{
    private static readonly DateOnly WeekFrom = new(2026, 10, 19);

    [Fact]
    public void Lake_evaluation_scores_a_warning_candidate_and_a_silent_one_against_the_stock_outs_the_readings_show()
    {
        using var lake = new TestLake();
        lake.Store.Execute($"INSERT INTO curated_readings (thing, store, seq, ts, slot, sku, grams, \"count\", status, reason, dt) {Readings}");
        var releases = new ReleaseStore(lake.Directory);
        Propose(releases, "r-warns", 6.0);
        Propose(releases, "r-silent", 0.0);

        var warns = LakeEvaluation.Evaluate(lake.Store, releases, releases.Record("r-warns")!, inService: null);
        var silent = LakeEvaluation.Evaluate(lake.Store, releases, releases.Record("r-silent")!, inService: null);

        // The warning candidate: the stock-out at 10:40 caught ≥ 30 min ahead; its warnings before it confirmed; the one
        // after the restock to 3 (6 picks an hour expected, none came) a strict false alarm.
        Assert.Equal(EvaluationData.Lake, warns.Data);
        Assert.Equal(Figures(stockOuts: 1, caught: 1, alerts: 4, trueAlerts: 3), warns.Candidate["s-1"]);
        // The silent one (no demand expected) misses it and raises nothing.
        Assert.Equal(Figures(stockOuts: 1, caught: 0, alerts: 0, trueAlerts: 0), silent.Candidate["s-1"]);
        // The devices' own learning (no release in service) learns the picks of the morning: it catches the stock-out too,
        // with one warning fewer before it; replayed for each evaluation, it scores the same each time.
        Assert.Equal(Figures(stockOuts: 1, caught: 1, alerts: 3, trueAlerts: 2), warns.InService["s-1"]);
        Assert.Equal(warns.InService["s-1"], silent.InService["s-1"]);

        // approve reads these metrics as it reads the traces' ones: the silent release is worse than the devices' own learning.
        releases.SaveMetrics(silent);
        Assert.Throws<WorseReleaseException>(() => Approval.Approve(
            releases, "r-silent", new Actor("carol", ProfileMatrix.MlEngineer), new DateTimeOffset(2026, 10, 27, 0, 0, 0, TimeSpan.Zero), null));
        Assert.Equal(EvaluationData.Lake, releases.Metrics("r-silent")!.Data);
        Assert.Contains("\"data\": \"lake\"", File.ReadAllText(Path.Combine(lake.Directory, "releases", "r-silent", "proposal", "metrics.json")),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Lake_evaluation_reads_raw_readings_laid_out_as_an_Athena_unload_when_nothing_is_curated()
    {
        using var lake = new TestLake();
        // As docs/models.md's AWS steps leave them: curated_readings' columns, Parquet under raw/readings/dt=…/ (the partition
        // column out of the file, as UNLOAD … partitioned_by writes it), nothing curated.
        var folder = Path.Combine(lake.Directory, "raw", "readings", "dt=2026-10-19");
        Directory.CreateDirectory(folder);
        lake.Store.Execute($"""
            INSERT INTO curated_readings (thing, store, seq, ts, slot, sku, grams, "count", status, reason, dt) {Readings};
            COPY (SELECT * EXCLUDE (dt) FROM curated_readings) TO '{Path.Combine(folder, "20261207_unload.parquet")}' (FORMAT parquet);
            DELETE FROM curated_readings;
            """);
        lake.Store.Dispose();
        using var reopened = LocalLakeStore.Open(lake.Directory);
        var releases = new ReleaseStore(lake.Directory);
        Propose(releases, "r-warns", 6.0);

        var warns = LakeEvaluation.Evaluate(reopened, releases, releases.Record("r-warns")!, inService: null);

        Assert.Equal(0L, reopened.Query("SELECT count(*) FROM curated_readings").Rows[0][0]);
        Assert.Equal(Figures(stockOuts: 1, caught: 1, alerts: 4, trueAlerts: 3), warns.Candidate["s-1"]);
    }

    /// <summary>
    /// One slot on the week's first day, a reading a minute: 10 on the shelf at 08:00, a pick every 10 minutes from 09:00
    /// (empty at 10:40), restocked to 3 at 12:00 and untouched until 16:00 (no second stock-out).
    /// </summary>
    private const string Readings = """
        SELECT 't-1' AS thing, 's-1' AS store, m AS seq, ts, 'A1' AS slot, 'sku-1' AS sku, 50.0 * c AS grams, c AS "count",
               CASE WHEN c = 0 THEN 'empty' WHEN c <= 2 THEN 'low' ELSE 'ok' END AS status, CAST(NULL AS VARCHAR) AS reason, '2026-10-19' AS dt
        FROM (SELECT m, TIMESTAMP '2026-10-19 08:00:00' + m * INTERVAL 1 MINUTE AS ts,
                     CASE WHEN m < 60 THEN 10 WHEN m < 160 THEN 10 - (m - 60) // 10 WHEN m < 240 THEN 0 ELSE 3 END AS c
              FROM range(0, 480) t(m))
        """;

    private static QualityFigures Figures(int stockOuts, int caught, int alerts, int trueAlerts) =>
        new() { StockOuts = stockOuts, Caught = caught, Alerts = alerts, TrueAlerts = trueAlerts, SlotDays = 1 };

    private static void Propose(ReleaseStore releases, string id, double picksPerHour)
    {
        var rates = string.Join(",", Enumerable.Repeat(picksPerHour.ToString("0.0", CultureInfo.InvariantCulture), 168));
        var profiles = "{\"schema\":\"shelf.profile.v1\",\"store\":\"s-1\",\"thing\":\"t-1\",\"slot\":\"A1\",\"sku\":\"sku-1\"," +
                       $"\"generated\":\"2026-10-18T00:00:00.000Z\",\"weeks\":6,\"picksPerHour\":[{rates}]}}\n";
        var record = TestReleaseRecords.Of(id, new DateTimeOffset(2026, 10, 19, 0, 0, 0, TimeSpan.Zero), WeekFrom.AddDays(-42), WeekFrom, profiles);
        releases.Propose(record with { Sources = new Dictionary<string, int> { ["shelf"] = 1 } }, profiles);
    }
}

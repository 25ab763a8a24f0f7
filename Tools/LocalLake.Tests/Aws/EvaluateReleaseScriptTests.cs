using System.Globalization;
using ShelfAgent.Cloud.Governance;
using ShelfAgent.LocalLake.Lake;
using ShelfAgent.LocalLake.Releases;
using ShelfAgent.LocalLake.Tests.Releases;
using Xunit.Abstractions;

namespace ShelfAgent.LocalLake.Tests.Aws;

/// <summary>
/// The AWS evaluation task's entry script (Tools/LocalLake/aws/evaluate-release.sh) run under bash against the fake AWS
/// CLI and the real local-lake: the by-hand steps of docs/models.md step 2, ending in metrics.json where approve reads it.
/// </summary>
public sealed class EvaluateReleaseScriptTests(ITestOutputHelper log)
{
    private const string Candidate = "r-20261020-1";
    private const string InService = "r-20261001-1";
    private const string RolledBack = "r-20261010-1";
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 23, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Script_evaluates_the_proposal_against_the_release_in_service_and_stores_metrics_approve_reads_when_its_release_json_arrives()
    {
        using var aws = new FakeAwsEnvironment();
        var weekFrom = await CuratedReadingsOfSimulatedStoresAsync(aws);
        var releases = new ReleaseStore(aws.BucketFolder);
        Propose(releases, InService, weekFrom.AddDays(-30), weekFrom.AddDays(-20));
        releases.SaveRollout(Rollout(InService, RolloutState.Promoted));
        Propose(releases, RolledBack, weekFrom.AddDays(-20), weekFrom.AddDays(-10));
        releases.SaveRollout(Rollout(RolledBack, RolloutState.RolledBack));
        Propose(releases, Candidate, weekFrom.AddDays(-2), weekFrom);

        var (exit, output, error) = await aws.RunAsync($"releases/{Candidate}/proposal/release.json", "run-1");
        log.WriteLine(output + error);

        Assert.Equal(0, exit);
        // The newest promoted release is in service; the newer rolled-back one is not.
        var metrics = releases.Metrics(Candidate);
        Assert.NotNull(metrics);
        Assert.Equal(EvaluationData.Lake, metrics.Data);
        Assert.Equal(InService, metrics.Against);
        // The held-out week of 2 stores × 3 slots: 42 slot-days, as LakeEvaluationTracesTests sees it on the same seed.
        Assert.Equal(42, metrics.CandidateTotal.SlotDays);
        // The UNLOAD: the training window to the held-out week's end, into a fresh prefix of this run, in the workgroup.
        var query = File.ReadAllText(Directory.EnumerateFiles(aws.StateFolder, "*.json").Single());
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"dt >= '{weekFrom.AddDays(-2):yyyy-MM-dd}' AND dt < '{weekFrom.AddDays(7):yyyy-MM-dd}'"),
            query, StringComparison.Ordinal);
        Assert.Contains($"s3://{FakeAwsEnvironment.Bucket}/exports/evaluate/{Candidate}/run-1/", query, StringComparison.Ordinal);
        Assert.Contains(FakeAwsEnvironment.WorkGroup, query, StringComparison.Ordinal);
        // approve reads what the task stored, as on one machine.
        var approval = Approval.Approve(releases, Candidate, new Actor("carol", ProfileMatrix.MlEngineer), Now);
        Assert.Equal((metrics.Against, metrics.CandidateTotal, metrics.InServiceTotal),
            (approval.Metrics.Against, approval.Metrics.CandidateTotal, approval.Metrics.InServiceTotal));

        // The same event again (EventBridge delivers at least once): nothing is run, nothing written.
        var calls = aws.Calls.Count;
        var again = await aws.RunAsync($"releases/{Candidate}/proposal/release.json", "run-2");
        Assert.Equal(0, again.Exit);
        Assert.Contains("evaluated already", again.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(aws.Calls.Skip(calls), c => c.StartsWith("athena", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Script_keeps_the_metrics_another_run_stored_meanwhile_when_its_own_upload_is_refused()
    {
        using var aws = new FakeAwsEnvironment();
        var weekFrom = new DateOnly(2026, 10, 19);
        using (var lake = new TestLake())
        {
            // One slot, one day, a reading a minute (LakeEvaluationTests' readings), as Athena's table.
            lake.Store.Execute($"INSERT INTO curated_readings (thing, store, seq, ts, slot, sku, grams, \"count\", status, reason, dt) {OneSlotDay}");
            AsAthenaTable(lake, aws);
        }

        var releases = new ReleaseStore(aws.BucketFolder);
        Propose(releases, Candidate, weekFrom.AddDays(-42), weekFrom);
        var stored = Path.Combine(aws.BucketFolder, "releases", Candidate, "proposal", "metrics.json");
        // Another run (a duplicate event) stores its metrics while this one evaluates.
        aws.BeforeLocalLake($"printf '{{\"another\":\"run\"}}' > '{stored}'");

        var (exit, output, error) = await aws.RunAsync($"releases/{Candidate}/proposal/release.json", "run-1");
        log.WriteLine(output + error);

        Assert.Equal(0, exit);
        Assert.Contains("was written meanwhile (another run): kept", output, StringComparison.Ordinal);
        Assert.Equal("{\"another\":\"run\"}", File.ReadAllText(stored));
        Assert.Contains(aws.Calls, c => c.StartsWith("s3api put-object", StringComparison.Ordinal)
                                        && c.Contains("--if-none-match *", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Script_exits_non_zero_with_the_reason_and_stores_nothing_when_the_unload_fails()
    {
        using var aws = new FakeAwsEnvironment();
        var releases = new ReleaseStore(aws.BucketFolder);
        Propose(releases, Candidate, new DateOnly(2026, 9, 8), new DateOnly(2026, 10, 20));

        var (exit, _, error) = await aws.RunAsync($"releases/{Candidate}/proposal/release.json", "run-1", athena: "fail");

        Assert.NotEqual(0, exit);
        Assert.Matches("evaluate-release: Athena query [0-9a-f-]+ FAILED: TABLE_NOT_FOUND", error);
        Assert.Null(releases.Metrics(Candidate));
    }

    [Fact]
    public async Task Script_exits_non_zero_without_querying_when_the_profiles_are_not_those_release_json_names()
    {
        using var aws = new FakeAwsEnvironment();
        var releases = new ReleaseStore(aws.BucketFolder);
        Propose(releases, Candidate, new DateOnly(2026, 9, 8), new DateOnly(2026, 10, 20));
        File.WriteAllText(releases.ProfilesPath(Candidate), "{}\n");

        var (exit, _, error) = await aws.RunAsync($"releases/{Candidate}/proposal/release.json", "run-1");

        Assert.NotEqual(0, exit);
        Assert.Contains("evaluate-release: profiles.jsonl's SHA-256 is", error, StringComparison.Ordinal);
        Assert.DoesNotContain(aws.Calls, c => c.StartsWith("athena", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Script_refuses_an_event_key_that_is_not_a_proposal_record()
    {
        using var aws = new FakeAwsEnvironment();

        var (exit, _, error) = await aws.RunAsync("releases/r-1/proposal/profiles.jsonl", "run-1");

        Assert.NotEqual(0, exit);
        Assert.Contains("is not releases/<id>/proposal/release.json", error, StringComparison.Ordinal);
        Assert.Empty(aws.Calls);
    }

    /// <summary>
    /// shelf-sim traces (2 stores × 3 slots, 9 days, seed 5) ingested and curated, then curated_readings laid out as Athena
    /// holds it for the fake's UNLOAD: Parquet per dt, the partition column out of the file. Returns the held-out week's first day.
    /// </summary>
    private static async Task<DateOnly> CuratedReadingsOfSimulatedStoresAsync(FakeAwsEnvironment aws)
    {
        using var lake = new TestLake();
        var (_, start) = await SimulatedStoresLake.FillAsync(lake);
        AsAthenaTable(lake, aws);
        return DateOnly.FromDateTime(start.UtcDateTime).AddDays(2);
    }

    /// <summary>One slot on 2026-10-19, a reading a minute: 10 at 08:00, a pick every 10 minutes from 09:00, empty at 10:40, 3 from 12:00.</summary>
    private const string OneSlotDay = """
        SELECT 't-1' AS thing, 's-1' AS store, m AS seq, ts, 'A1' AS slot, 'sku-1' AS sku, 50.0 * c AS grams, c AS "count",
               CASE WHEN c = 0 THEN 'empty' WHEN c <= 2 THEN 'low' ELSE 'ok' END AS status, CAST(NULL AS VARCHAR) AS reason,
               '2026-10-19' AS dt
        FROM (SELECT m, TIMESTAMP '2026-10-19 08:00:00' + m * INTERVAL 1 MINUTE AS ts,
                     CASE WHEN m < 60 THEN 10 WHEN m < 160 THEN 10 - (m - 60) // 10 WHEN m < 240 THEN 0 ELSE 3 END AS c
              FROM range(0, 480) t(m))
        """;

    /// <summary>The lake's curated_readings where the fake's Athena reads it: Parquet per dt, the partition column out of the file.</summary>
    private static void AsAthenaTable(TestLake lake, FakeAwsEnvironment aws)
    {
        var table = Path.Combine(aws.TablesFolder, "curated_readings");
        lake.Store.Execute(
            $"COPY (SELECT {LakeTables.Names(LakeTables.Readings)}, dt FROM curated_readings) TO '{table}' (FORMAT parquet, PARTITION_BY (dt))");
    }

    private static void Propose(ReleaseStore releases, string id, DateOnly from, DateOnly to) =>
        releases.Propose(TestReleaseRecords.Of(id, Now, from, to), "");

    private static RolloutRecord Rollout(string id, RolloutState state) => new()
    {
        Release = id,
        State = state,
        Canary = ["shelf-0001-01"],
        Rest = ["shelf-0002-01"],
        Started = Now,
    };
}

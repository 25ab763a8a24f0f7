using System.Text.Json.Nodes;

namespace ShelfAgent.Cloud.Tests.Lake;

[Collection(CdkSynth.Name)]
public sealed class CurationScheduleTests(SynthFixture synth)
{
    // The scheduled Athena queries (the release watch's schedule invokes a Lambda: ReleaseWatchTests).
    private List<JsonNode> Schedules => synth.OfType("AWS::Scheduler::Schedule").Select(s => s.Value["Properties"]!)
        .Where(s => s["Target"]!["Arn"]!.ToString().StartsWith("arn:aws:scheduler:::aws-sdk:athena", StringComparison.Ordinal)).ToList();

    [Fact]
    public void Merges_curation_daily_and_trains_profiles_and_the_dataset_into_a_new_folder_per_run_when_scheduled()
    {
        var byCron = Schedules.ToDictionary(
            s => s["ScheduleExpression"]!.GetValue<string>(),
            s => JsonNode.Parse(Cfn.Render(s["Target"]!["Input"]))!);
        Assert.Equal(["cron(0 1 * * ? *)", "cron(0 3 * * ? *)", "cron(0 4 ? * MON *)", "cron(10 1 * * ? *)", "cron(20 1 * * ? *)"], byCron.Keys.Order());
        Assert.StartsWith("MERGE INTO curated_readings", byCron["cron(0 1 * * ? *)"]["QueryString"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("MERGE INTO curated_events", byCron["cron(10 1 * * ? *)"]["QueryString"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("MERGE INTO curated_forecasts", byCron["cron(20 1 * * ? *)"]["QueryString"]!.GetValue<string>(), StringComparison.Ordinal);
        var curated = "s3://${" + synth.LogicalId("AWS::S3::Bucket", "LakeBucketsCurated") + "}/";
        Assert.Contains($"TO '{curated}profiles/run=<aws.scheduler.execution-id>/'",
            byCron["cron(0 3 * * ? *)"]["QueryString"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains($"TO '{curated}training/hourly-picks/run=<aws.scheduler.execution-id>/'",
            byCron["cron(0 4 ? * MON *)"]["QueryString"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.All(byCron.Values, input =>
        {
            // The pipeline's own workgroup: the data team's 10 GB cap would cancel a fleet's MERGE.
            Assert.Equal("shelfagent-test-pipeline", input["WorkGroup"]!.GetValue<string>());
            Assert.Equal("shelfagent_test", input["QueryExecutionContext"]!["Database"]!.GetValue<string>());
        });
        Assert.All(Schedules, s =>
        {
            Assert.Equal("UTC", s["ScheduleExpressionTimezone"]!.GetValue<string>());
            Assert.Equal("arn:aws:scheduler:::aws-sdk:athena:startQueryExecution", s["Target"]!["Arn"]!.GetValue<string>());
        });
    }

    [Fact]
    public void Curation_role_reads_raw_and_writes_only_curated_and_results_when_queries_run()
    {
        var roleId = SynthFixture.RoleIdOf(Schedules[0]["Target"]!["RoleArn"]);
        var statements = synth.RoleStatements(roleId);
        string Bucket(string name) => "${" + synth.LogicalId("AWS::S3::Bucket", "LakeBuckets" + name) + ".Arn}";

        var writes = statements.Where(s => s.Actions.Contains("s3:PutObject")).SelectMany(s => s.Resources).ToList();
        Assert.All(writes, r => Assert.True(
            r.StartsWith(Bucket("Curated"), StringComparison.Ordinal) || r.StartsWith(Bucket("AthenaResults"), StringComparison.Ordinal), r));
        Assert.Contains(statements, s => s.Actions.Contains("s3:GetObject") && s.Resources.Contains(Bucket("Raw") + "/*"));
        Assert.DoesNotContain(statements, s => s.Actions.Any(a => a.Contains("Delete", StringComparison.Ordinal)));
        // Iceberg commits update the curated tables' metadata pointer, and only theirs.
        var update = statements.Single(s => s.Actions.Contains("glue:UpdateTable"));
        Assert.All(update.Resources, r => Assert.Contains(":table/shelfagent_test/curated_", r, StringComparison.Ordinal));
        // GetDataAccess has no resource-level form (Lake Formation's grants decide); nothing else is unbounded.
        Assert.All(statements.Where(s => !s.Actions.SequenceEqual(["lakeformation:GetDataAccess"])), s => Assert.DoesNotContain("*", s.Resources));
    }

    [Fact]
    public void Curation_merges_only_yesterdays_arrival_day_and_a_bounded_window_of_the_target_when_scheduled()
    {
        var merges = Schedules.Select(s => JsonNode.Parse(Cfn.Render(s["Target"]!["Input"]))!["QueryString"]!.GetValue<string>())
            .Where(q => q.StartsWith("MERGE", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, merges.Count);
        Assert.All(merges, sql =>
        {
            Assert.Contains("WHERE r.dt = cast(cast(current_date - interval '1' day AS date) AS varchar)", sql, StringComparison.Ordinal);
            Assert.DoesNotContain("interval '3' day", sql, StringComparison.Ordinal);
            Assert.Contains("AND t.dt >= cast(cast(current_date - interval '35' day AS date) AS varchar)", sql, StringComparison.Ordinal);
        });
        // A buffer wipe restarts seq at 1: the reading's own time keeps the new readings apart from the old ones.
        Assert.Contains(merges, sql => sql.Contains("ON t.thing = s.thing AND t.seq = s.seq AND t.ts = s.ts", StringComparison.Ordinal)
            && sql.Contains("PARTITION BY thing, seq, ts", StringComparison.Ordinal));
    }

    [Fact]
    public void Pipeline_workgroup_has_its_own_scan_cap_and_failed_queries_notify_the_ops_topic_when_athena_gives_up()
    {
        var pipeline = synth.PropertiesOf("AWS::Athena::WorkGroup", "LakeAthenaPipelineWorkGroup");
        Assert.Equal("shelfagent-test-pipeline", pipeline["Name"]!.GetValue<string>());
        Assert.Equal(1024L * 1024 * 1024 * 1024, pipeline["WorkGroupConfiguration"]!["BytesScannedCutoffPerQuery"]!.GetValue<long>());

        var rule = synth.PropertiesOf("AWS::Events::Rule", "MonitoringPipelineQueryFailures");
        Assert.Null(rule["EventBusName"]);
        var pattern = rule["EventPattern"]!;
        Assert.Equal("aws.athena", pattern["source"]![0]!.GetValue<string>());
        Assert.Equal("Athena Query State Change", pattern["detail-type"]![0]!.GetValue<string>());
        Assert.Equal(["FAILED", "CANCELLED"], pattern["detail"]!["currentState"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal(["shelfagent-test-pipeline"], pattern["detail"]!["workgroupName"]!.AsArray().Select(x => x!.GetValue<string>()));
        var topic = "${" + synth.LogicalId("AWS::SNS::Topic", "MonitoringOpsAlarms") + "}";
        Assert.Equal(topic, Cfn.Render(Assert.Single(rule["Targets"]!.AsArray())!["Arn"]));
    }
}

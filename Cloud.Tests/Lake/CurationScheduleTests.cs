using System.Text.Json.Nodes;

namespace ShelfAgent.Cloud.Tests.Lake;

[Collection(CdkSynth.Name)]
public sealed class CurationScheduleTests(SynthFixture synth)
{
    private List<JsonNode> Schedules => synth.OfType("AWS::Scheduler::Schedule").Select(s => s.Value["Properties"]!).ToList();

    [Fact]
    public void Loads_raw_partitions_before_curating_yesterday_when_the_day_is_over()
    {
        var byCron = Schedules.ToDictionary(
            s => s["ScheduleExpression"]!.GetValue<string>(),
            s => JsonNode.Parse(s["Target"]!["Input"]!.GetValue<string>())!);
        Assert.Equal(["cron(0 1 * * ? *)", "cron(30 0 * * ? *)", "cron(40 0 * * ? *)"], byCron.Keys.Order());
        Assert.Equal("MSCK REPAIR TABLE raw_readings", byCron["cron(30 0 * * ? *)"]["QueryString"]!.GetValue<string>());
        Assert.Equal("MSCK REPAIR TABLE raw_events", byCron["cron(40 0 * * ? *)"]["QueryString"]!.GetValue<string>());
        Assert.StartsWith("INSERT INTO curated_readings", byCron["cron(0 1 * * ? *)"]["QueryString"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.All(byCron.Values, input =>
        {
            Assert.Equal("shelfagent-test", input["WorkGroup"]!.GetValue<string>());
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
        string roleId = SynthFixture.RoleIdOf(Schedules[0]["Target"]!["RoleArn"]);
        var statements = synth.RoleStatements(roleId);
        string Bucket(string name) => "${" + synth.LogicalId("AWS::S3::Bucket", "LakeBuckets" + name) + ".Arn}";

        var writes = statements.Where(s => s.Actions.Contains("s3:PutObject")).SelectMany(s => s.Resources).ToList();
        Assert.All(writes, r => Assert.True(
            r.StartsWith(Bucket("Curated"), StringComparison.Ordinal) || r.StartsWith(Bucket("AthenaResults"), StringComparison.Ordinal), r));
        Assert.Contains(statements, s => s.Actions.Contains("s3:GetObject") && s.Resources.Contains(Bucket("Raw") + "/*"));
        Assert.DoesNotContain(statements, s => s.Actions.Any(a => a.Contains("Delete", StringComparison.Ordinal)));
        Assert.All(statements, s => Assert.DoesNotContain("*", s.Resources));
    }
}

using System.Text.Json.Nodes;
using ShelfAgent.Cloud.Lake;
using ShelfAgent.Cloud.Predictions;

namespace ShelfAgent.Cloud.Tests.Predictions;

/// <summary>The prediction-health function, its permissions, schedule, alarm and dashboard widgets on the template.</summary>
[Collection(CdkSynth.Name)]
public sealed class PredictionHealthTests(SynthFixture synth)
{
    private KeyValuePair<string, JsonObject> Function =>
        synth.OfType("AWS::Lambda::Function").Single(f => f.Key.StartsWith("PredictionHealthFunction", StringComparison.Ordinal));

    [Fact]
    public void Function_runs_the_named_querys_sql_on_the_supported_runtime_when_synthesized()
    {
        var props = Function.Value["Properties"]!;
        Assert.Equal(InlineNodeFunction.Runtime.Name, props["Runtime"]!.GetValue<string>());
        var env = props["Environment"]!["Variables"]!;
        var named = synth.OfType("AWS::Athena::NamedQuery").Single(q => q.Value["Properties"]!["Name"]!.GetValue<string>() == PredictionHealth.QueryName);
        Assert.Equal(named.Value["Properties"]!["QueryString"]!.GetValue<string>(), env["QUERY_SQL"]!.GetValue<string>());
        Assert.Equal(Cfn.Render(named.Value["Properties"]!["WorkGroup"]), Cfn.Render(env["WORKGROUP"]));
        Assert.Equal("ShelfAgent", env["NAMESPACE"]!.GetValue<string>());
        // Lambda caps all environment variables together at 4 KB.
        var envBytes = env.AsObject().Sum(v => v.Key.Length + Cfn.Render(v.Value).Length);
        Assert.True(envBytes < 4096, $"{envBytes} bytes of environment");
        // The bounded poll fits in the timeout.
        var pollSeconds = double.Parse(env["POLL_LIMIT"]!.GetValue<string>()) * double.Parse(env["POLL_MS"]!.GetValue<string>()) / 1000;
        Assert.True(pollSeconds < props["Timeout"]!.GetValue<double>(), $"{pollSeconds} s of polling vs timeout {props["Timeout"]}");
        Assert.True(LambdaSource.Read(LambdaSource.PredictionHealth).Length < LambdaSource.InlineLimitBytes);
    }

    [Fact]
    public void Function_role_is_least_privilege_when_synthesized()
    {
        var role = SynthFixture.RoleIdOf(Function.Value["Properties"]!["Role"]);
        var statements = synth.RoleStatements(role);
        string Only(string action) => Assert.Single(Assert.Single(statements, s => s.Actions.Contains(action)).Resources);

        foreach (var action in new[] { "athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults" })
        {
            Assert.EndsWith(":workgroup/shelfagent-test", Only(action), StringComparison.Ordinal);
        }

        var glue = Assert.Single(statements, s => s.Actions.Contains("glue:GetTable"));
        Assert.DoesNotContain(glue.Actions, a => a.Contains("Update", StringComparison.Ordinal) || a.Contains("Create", StringComparison.Ordinal));
        Assert.Contains(glue.Resources, r => r.EndsWith($"table/shelfagent_test/{ReadingsCatalog.CuratedEventsTableName}", StringComparison.Ordinal));
        Assert.DoesNotContain(glue.Resources, r => r.EndsWith("/*", StringComparison.Ordinal));

        var put = Assert.Single(statements, s => s.Actions.Contains("cloudwatch:PutMetricData"));
        Assert.Equal("ShelfAgent", put.Raw["Condition"]!["StringEquals"]!["cloudwatch:namespace"]!.GetValue<string>());

        // Writes only to the results bucket; never deletes; no wildcard actions.
        var writes = statements.Where(s => s.Actions.Contains("s3:PutObject")).SelectMany(s => s.Resources).ToList();
        Assert.NotEmpty(writes);
        Assert.All(writes, r => Assert.Contains("AthenaResults", r, StringComparison.Ordinal));
        Assert.DoesNotContain(statements.SelectMany(s => s.Actions), a => a.EndsWith('*') || a.Contains("Delete", StringComparison.Ordinal));
    }

    [Fact]
    public void Function_reads_curated_events_through_lake_formation_when_governed()
    {
        var role = SynthFixture.RoleIdOf(Function.Value["Properties"]!["Role"]);
        var grant = synth.OfType("AWS::LakeFormation::PrincipalPermissions")
            .Single(g => Cfn.Render(g.Value["Properties"]!["Principal"]!["DataLakePrincipalIdentifier"]) == "${" + role + ".Arn}"
                         && g.Value["Properties"]!["Resource"]!["Table"] is not null);
        Assert.Equal(ReadingsCatalog.CuratedEventsTableName, grant.Value["Properties"]!["Resource"]!["Table"]!["Name"]!.GetValue<string>());
        Assert.Equal(["SELECT", "DESCRIBE"], grant.Value["Properties"]!["Permissions"]!.AsArray().Select(p => p!.GetValue<string>()));
    }

    [Fact]
    public void Function_runs_daily_after_event_curation_when_synthesized()
    {
        var rule = synth.OfType("AWS::Events::Rule").Single(r => r.Key.StartsWith("PredictionHealthDaily", StringComparison.Ordinal)).Value["Properties"]!;
        Assert.Equal(PredictionHealth.Cron, rule["ScheduleExpression"]!.GetValue<string>());
        Assert.Equal("cron(10 1 * * ? *)", CurationSchedule.Crons[StarterQueries.CurateEvents]);
        Assert.Equal("${" + Function.Key + ".Arn}", Cfn.Render(rule["Targets"]![0]!["Arn"]));
        var permission = synth.OfType("AWS::Lambda::Permission")
            .Single(p => Cfn.Render(p.Value["Properties"]!["FunctionName"]) == "${" + Function.Key + ".Arn}");
        Assert.Equal("events.amazonaws.com", permission.Value["Properties"]!["Principal"]!.GetValue<string>());
    }

    [Fact]
    public void Missed_share_alarm_and_dashboard_show_caught_and_missed_when_synthesized()
    {
        var alarm = synth.OfType("AWS::CloudWatch::Alarm")
            .Single(a => a.Value["Properties"]!["AlarmName"]!.GetValue<string>() == "ShelfAgent-test-StockOutsMissedShare").Value["Properties"]!;
        Assert.Equal(0.5, alarm["Threshold"]!.GetValue<double>());
        Assert.Equal("GreaterThanThreshold", alarm["ComparisonOperator"]!.GetValue<string>());
        var metrics = alarm["Metrics"]!.AsArray();
        Assert.Contains(metrics, m => m!["Expression"]?.GetValue<string>().Contains("FILL(missed, 0) / (", StringComparison.Ordinal) == true);
        Assert.Equal(["StockOutsCaught", "StockOutsMissed"],
            metrics.Where(m => m!["MetricStat"] is not null).Select(m => m!["MetricStat"]!["Metric"]!["MetricName"]!.GetValue<string>()).Order());
        Assert.NotEmpty(alarm["AlarmActions"]!.AsArray());

        var body = Cfn.Render(synth.PropertiesOf("AWS::CloudWatch::Dashboard")["DashboardBody"]);
        Assert.Contains("\"StockOutsCaught\"", body, StringComparison.Ordinal);
        Assert.Contains("\"StockOutsMissed\"", body, StringComparison.Ordinal);
        // Fleet graph and per-store SEARCH graph.
        Assert.True(body.Split("StockOutsMissed").Length - 1 >= 2, body);
        Assert.Contains("Stock-outs caught per store per day", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Function_errors_raise_an_alarm_when_synthesized()
    {
        var alarm = synth.OfType("AWS::CloudWatch::Alarm")
            .Single(a => a.Value["Properties"]!["AlarmName"]!.GetValue<string>() == "ShelfAgent-test-FunctionErrors-prediction-health").Value["Properties"]!;
        Assert.Equal("Errors", alarm["MetricName"]!.GetValue<string>());
        Assert.Equal("${" + Function.Key + "}", Cfn.Render(alarm["Dimensions"]![0]!["Value"]));
    }
}

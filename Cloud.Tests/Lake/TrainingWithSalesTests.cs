using System.Text.Json.Nodes;
using ShelfAgent.Cloud.Learning;

namespace ShelfAgent.Cloud.Tests.Lake;

/// <summary>train-profiles uses POS sales as its prior exactly when the sales source is deployed (issue 24, step 1).</summary>
[Collection(CdkSynth.Name)]
public sealed class TrainingWithSalesTests(SynthFixture synth, FullSynthFixture full)
{
    private static (string Sql, string Role) TrainProfiles(SynthFixture fixture)
    {
        var schedule = fixture.OfType("AWS::Scheduler::Schedule")
            .Select(s => s.Value["Properties"]!)
            .Single(s => s["ScheduleExpression"]!.GetValue<string>() == "cron(0 3 * * ? *)");
        var sql = JsonNode.Parse(Cfn.Render(schedule["Target"]!["Input"]))!["QueryString"]!.GetValue<string>();
        return (sql, SynthFixture.RoleIdOf(schedule["Target"]!["RoleArn"]));
    }

    private static string NamedTrainProfiles(SynthFixture fixture) =>
        fixture.OfType("AWS::Athena::NamedQuery").Select(q => q.Value["Properties"]!)
            .Select(q => (Name: q["Name"]!.GetValue<string>(), Sql: Cfn.Render(q["QueryString"])))
            .Single(q => q.Name == "train-profiles").Sql;

    [Fact]
    public void Trains_with_sales_when_the_sales_source_is_deployed()
    {
        var (sql, role) = TrainProfiles(full.Synth);

        // The same SELECT text the local lake runs (TrainingQuery.Select), with the sales prior.
        Assert.Contains(TrainingQuery.Select("current_date", withSales: true), sql, StringComparison.Ordinal);
        Assert.Contains("FROM curated_sales", sql, StringComparison.Ordinal);
        Assert.Contains(TrainingQuery.Select("current_date", withSales: true), NamedTrainProfiles(full.Synth), StringComparison.Ordinal);

        // Its role may read the table (Glue), and Lake Formation grants it.
        Assert.Contains(full.Synth.RoleStatements(role),
            s => s.Actions.Contains("glue:GetTable") && s.Resources.Any(r => r.EndsWith("/curated_sales", StringComparison.Ordinal)));
        Assert.Contains(full.Synth.OfType("AWS::LakeFormation::PrincipalPermissions").Select(g => g.Value["Properties"]!),
            g => g["Resource"]!["Table"]?["Name"]?.GetValue<string>() == "curated_sales"
                 && SynthFixture.RoleIdOf(g["Principal"]!["DataLakePrincipalIdentifier"]) == role
                 && g["Permissions"]!.AsArray().Select(p => p!.GetValue<string>()).SequenceEqual(["SELECT", "DESCRIBE"]));
    }

    [Fact]
    public void Trains_on_shelves_only_when_there_is_no_sales_source()
    {
        var (sql, role) = TrainProfiles(synth);

        Assert.Contains(TrainingQuery.Select("current_date", withSales: false), sql, StringComparison.Ordinal);
        Assert.DoesNotContain("curated_sales", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("curated_sales", NamedTrainProfiles(synth), StringComparison.Ordinal);
        Assert.DoesNotContain(synth.RoleStatements(role), s => s.Resources.Any(r => r.Contains("curated_sales", StringComparison.Ordinal)));
    }
}

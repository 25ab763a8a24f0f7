using ShelfAgent.Config.Runtime;
using ShelfAgent.Validation;

namespace ShelfAgent.Tests.Config.Runtime;

public sealed class ConfigJudgeTests
{
    private static readonly Dictionary<string, string> None = [];

    // A stand-in for the loader: IntervalMs must be ≥ 100, LowStockAt ≤ Capacity (default 24).
    private static IReadOnlyList<ConfigProblem> Rules(IReadOnlyDictionary<string, string> o)
    {
        var problems = new List<ConfigProblem>();
        if (o.TryGetValue("Sampling:IntervalMs", out var v) && int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) < 100)
        {
            problems.Add(new ConfigProblem("Sampling:IntervalMs", "must be at least 100"));
        }

        var capacity = o.TryGetValue("Slots:0:Capacity", out var c) ? int.Parse(c, System.Globalization.CultureInfo.InvariantCulture) : 24;
        var low = o.TryGetValue("Slots:0:LowStockAt", out var l) ? int.Parse(l, System.Globalization.CultureInfo.InvariantCulture) : 4;
        if (low > capacity)
        {
            problems.Add(new ConfigProblem("Slots:0:LowStockAt", $"must not exceed Capacity ({capacity})"));
        }

        return problems;
    }

    [Fact]
    public void A_bad_key_is_refused_with_the_loaders_message_and_the_good_one_kept()
    {
        var j = ConfigJudge.Judge(
            None,
            [new("Sampling:IntervalMs", "Sampling:IntervalMs", "5"), new("Publish:IntervalMs", "Publish:IntervalMs", "2000")],
            None,
            Rules);
        Assert.Equal("Publish:IntervalMs", Assert.Single(j.Accepted).Key);
        var refused = Assert.Single(j.Refused);
        Assert.Equal(("Sampling:IntervalMs", "must be at least 100"), (refused.Key, refused.Reason));
        Assert.Equal("2000", j.Overlay["Publish:IntervalMs"]);
        Assert.False(j.Overlay.ContainsKey("Sampling:IntervalMs"));
    }

    [Fact]
    public void A_problem_on_an_unchanged_key_refuses_the_change_of_the_same_slot_naming_it_by_id()
    {
        var j = ConfigJudge.Judge(None, [new("Slots:A1:Capacity", "Slots:0:Capacity", "2")], None, Rules);
        Assert.Empty(j.Accepted);
        Assert.Equal("would make Slots:A1:LowStockAt invalid: must not exceed Capacity (2)", Assert.Single(j.Refused).Reason);
    }

    [Fact]
    public void A_key_set_by_the_environment_is_refused_because_it_would_be_shadowed()
    {
        var env = new Dictionary<string, string> { ["Sampling:IntervalMs"] = "SHELFAGENT_Sampling__IntervalMs" };
        var j = ConfigJudge.Judge(None, [new("Sampling:IntervalMs", "Sampling:IntervalMs", "500")], env, Rules);
        Assert.Empty(j.Accepted);
        Assert.Contains("SHELFAGENT_Sampling__IntervalMs", Assert.Single(j.Refused).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_removes_a_key_accepted_before()
    {
        var current = new Dictionary<string, string> { ["Sampling:IntervalMs"] = "500" };
        var j = ConfigJudge.Judge(current, [new("Sampling:IntervalMs", "Sampling:IntervalMs", null)], None, Rules);
        Assert.Single(j.Accepted);
        Assert.Empty(j.Overlay);
    }
}

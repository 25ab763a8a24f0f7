using ShelfAgent.Simulator.Scale;

namespace ShelfAgent.Tests.Simulator.Scale;

public sealed class ShardSpecTests
{
    [Fact]
    public void Shards_split_a_fleet_so_every_device_runs_exactly_once()
    {
        var shards = Enumerable.Range(0, 3).Select(i => ShardSpec.Parse($"{i}/3", null, _ => null, out _)!).ToList();

        var owners = Enumerable.Range(0, 10_000).Select(d => shards.Count(s => s.Contains(d)));

        Assert.All(owners, n => Assert.Equal(1, n));
    }

    [Fact]
    public void Takes_the_index_from_the_named_variable_as_a_kubernetes_indexed_job_sets_it()
    {
        var shard = ShardSpec.Parse("4", "JOB_COMPLETION_INDEX", name => name == "JOB_COMPLETION_INDEX" ? "2" : null, out var problem);

        Assert.Null(problem);
        Assert.Equal(new ShardSpec(2, 4), shard);
    }

    [Theory]
    [InlineData("4/4", null)]
    [InlineData("a/2", null)]
    [InlineData("0/0", null)]
    [InlineData("3", "UNSET_VARIABLE")]
    public void Refuses_a_shard_that_does_not_exist(string text, string? variable)
    {
        Assert.Null(ShardSpec.Parse(text, variable, _ => null, out var problem));
        Assert.NotNull(problem);
    }
}

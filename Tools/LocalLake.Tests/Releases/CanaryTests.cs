using ShelfAgent.LocalLake.Releases;

namespace ShelfAgent.LocalLake.Tests.Releases;

/// <summary>The canary is whole stores, a share of them, never none and never all.</summary>
public sealed class CanaryTests
{
    private static readonly Dictionary<string, string> Devices = new(StringComparer.Ordinal)
    {
        ["t-1a"] = "s-1",
        ["t-1b"] = "s-1",
        ["t-2"] = "s-2",
        ["t-3"] = "s-3",
        ["t-4"] = "s-4",
    };

    [Theory]
    [InlineData(0.01, 1)]
    [InlineData(0.5, 2)]
    [InlineData(0.99, 3)]
    [InlineData(1.0, 4)]
    public void Canary_takes_the_share_of_whole_stores_at_least_one_and_all_only_at_share_one(double share, int stores)
    {
        var (chosen, others) = Canary.Choose(Devices, "r-1", share);
        Assert.Equal(stores, chosen.Select(t => Devices[t]).Distinct().Count());
        Assert.Equal(Devices.Keys.Order(StringComparer.Ordinal), chosen.Concat(others).Order(StringComparer.Ordinal));
        // Every device of a chosen store is in the canary.
        Assert.DoesNotContain(others, t => chosen.Any(c => Devices[c] == Devices[t]));
    }

    [Fact]
    public void Canary_is_stable_for_a_release()
    {
        Assert.Equal(Canary.Choose(Devices, "r-7", 0.5).Chosen, Canary.Choose(Devices, "r-7", 0.5).Chosen);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.2)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Canary_refuses_a_share_outside_zero_to_one(double share)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Canary.Choose(Devices, "r-1", share));
    }
}

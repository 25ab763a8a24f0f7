using ShelfAgent.Config;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Tests.Config;

public sealed class DemandProfilesReaderTests
{
    private static DemandProfile Profile(string? thing, string? slot, double rate)
        => new("store-0042", thing, slot, "COLA-355", DateTimeOffset.UnixEpoch, 6, Enumerable.Repeat(rate, HourOfWeek.Count).ToArray());

    [Fact]
    public void A_desired_profile_replaces_the_files_profile_of_its_slot_and_leaves_the_others()
    {
        var fileA1 = Profile("shelf-0042-01", "A1", 1);
        var fileA2 = Profile("shelf-0042-01", "A2", 2);
        var bySku = Profile(null, null, 3);
        var desiredA1 = Profile("shelf-0042-01", "A1", 9);

        var merged = DemandProfilesReader.Merge([fileA1, fileA2, bySku], [desiredA1], "shelf-0042-01");

        Assert.Equal([desiredA1, fileA2, bySku], merged);
        Assert.Same(desiredA1, DemandProfile.Match(merged, "store-0042", "shelf-0042-01", "A1", "COLA-355"));
        Assert.Same(fileA2, DemandProfile.Match(merged, "store-0042", "shelf-0042-01", "A2", "COLA-355"));
    }
}

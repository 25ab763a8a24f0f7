using ShelfAgent.Config;
using ShelfAgent.Contract;
using ShelfAgent.Profiles;
using ShelfAgent.Stock;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Tests.Profiles;

public sealed class ReleaseProfilesTests
{
    private const string Store = "store-7";
    private const string Thing = "shelf-7-01";

    [Fact]
    public void A_shadow_override_wins_for_its_slot_the_release_for_the_others_and_the_file_only_where_neither_has_one()
    {
        var shadow = ReleaseArtifact.Profile(Store, Thing, "S1", "SKU-1", 9);
        var file = new[] { ReleaseArtifact.Profile(Store, Thing, "S2", "SKU-2", 7), ReleaseArtifact.Profile(Store, Thing, "S4", "SKU-4", 7) };
        var options = Options(4);
        options.Stock.RemoteProfiles = new Dictionary<string, DemandProfile> { ["S1"] = shadow };
        options.Stock.Profiles = [shadow, .. file];
        var release = Release("r-3", options.Slots.Take(3).Select(s => ReleaseArtifact.Profile(Store, Thing, s.Id, s.Sku, 2)));

        var merged = ReleaseProfiles.Merge(options, release);

        Assert.Same(shadow, Match(merged, "S1", "SKU-1"));
        Assert.Equal("r-3", Match(merged, "S2", "SKU-2")?.Release);
        Assert.Equal("r-3", Match(merged, "S3", "SKU-3")?.Release);
        Assert.Same(file[1], Match(merged, "S4", "SKU-4"));
        Assert.Equal(["S2", "S3"], ReleaseProfiles.Served(options, release));
    }

    [Fact]
    public void Only_this_thing_s_profiles_for_a_slot_holding_the_same_sku_are_used()
    {
        var options = Options(2);
        var release = Release("r-1", [
            ReleaseArtifact.Profile(Store, Thing, "S1", "SKU-1", 2),
            ReleaseArtifact.Profile(Store, Thing, "S2", "OTHER", 2),
            ReleaseArtifact.Profile(Store, "shelf-7-02", "S2", "SKU-2", 2),
        ]);

        Assert.Equal(["S1"], ReleaseProfiles.Usable(release, options).Select(p => p.Slot));
        Assert.Equal(["S1"], ReleaseProfiles.Served(options, release));
    }

    [Fact]
    public void The_artifact_is_read_with_the_profile_file_s_rules_and_refused_whole_for_one_bad_profile()
    {
        var good = ReleaseArtifact.Bytes("r-1", Store, [ReleaseArtifact.Profile(Store, Thing, "S1", "SKU-1", 2)]);
        Assert.True(ProfileReleaseParser.TryParse(good, out var release, out _));
        Assert.Equal(("r-1", Store, "r-1"), (release.Release, release.Store, release.Profiles[0].Release));

        var foreign = ReleaseArtifact.Bytes("r-1", Store, [ReleaseArtifact.Profile("store-8", Thing, "S1", "SKU-1", 2)]);
        Assert.False(ProfileReleaseParser.TryParse(foreign, out _, out var problem));
        Assert.Equal("profile 1 of the artifact is for store store-8, not the artifact's store-7", problem);

        var shortProfile = System.Text.Encoding.UTF8.GetBytes(
            """{"schema":"shelf.profile.release.v1","release":"r-1","store":"store-7","profiles":[""" +
            """{"schema":"shelf.profile.v1","store":"store-7","sku":"A","picksPerHour":[1]}]}""");
        Assert.False(ProfileReleaseParser.TryParse(shortProfile, out _, out problem));
        Assert.StartsWith("profile 1 of the artifact: picksPerHour must be an array of 168 numbers", problem, StringComparison.Ordinal);

        Assert.False(ProfileReleaseParser.TryParse("""{"schema":"shelf.profile.v1"}"""u8, out _, out problem));
        Assert.Contains("not a shelf.profile.release.v1 document", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_artifact_the_tests_make_validates_against_the_schema_in_docs()
    {
        var bytes = ReleaseArtifact.Bytes("r-20261207-1", Store, [ReleaseArtifact.Profile(Store, Thing, "S1", "SKU-1", 2)]);
        Assert.Null(await JsonSchemaValidator.ValidateAsync("profile-release.schema.json", [System.Text.Encoding.UTF8.GetString(bytes)]));
        Assert.NotNull(await JsonSchemaValidator.ValidateAsync("profile-release.schema.json", ["""{"schema":"shelf.profile.release.v1","release":"r-1"}"""]));
    }

    private static DemandProfile? Match(IReadOnlyList<DemandProfile> merged, string slot, string sku) => DemandProfile.Match(merged, Store, Thing, slot, sku);

    private static ProfileRelease Release(string id, IEnumerable<DemandProfile> profiles) => new(id, Store, [.. profiles.Select(p => p with { Release = id })]);

    private static AgentOptions Options(int slots) => new()
    {
        Device = new DeviceOptions { StoreId = Store, ThingName = Thing },
        Slots = [.. Enumerable.Range(1, slots).Select(i => new SlotOptions { Id = $"S{i}", Sku = $"SKU-{i}" })],
    };
}

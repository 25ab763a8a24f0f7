using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ShelfAgent.Contract;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Tests.Contract;

public sealed class DesiredDemandProfileTests
{
    private static readonly DateTimeOffset Generated = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    internal static DemandProfile Profile(string sku = "COLA-355", double peak = 6.25)
        => new("store-0042", null, null, sku, Generated, 8, Enumerable.Range(0, HourOfWeek.Count).Select(h => h % 24 is >= 8 and < 20 ? peak : 0).ToArray());

    private static bool Decode(JsonObject entry, out DemandProfile profile, out string problem)
        => DesiredDemandProfile.TryDecode(DesiredDemandProfile.Text(entry), "store-0042", "shelf-0042-01", "A1", out profile, out problem);

    [Fact]
    public void An_encoded_entry_decodes_to_the_same_rates_in_hundredths_for_this_device_and_slot()
    {
        var source = Profile() with { PicksPerHour = Enumerable.Range(0, HourOfWeek.Count).Select(h => h * 1.234).ToArray() };

        Assert.True(Decode(DesiredDemandProfile.Encode(source), out var profile, out var problem), problem);

        Assert.Equal(
            ("store-0042", "shelf-0042-01", "A1", "COLA-355", Generated, 8),
            (profile.Store, profile.Thing, profile.Slot, profile.Sku, profile.Generated, profile.Weeks));
        Assert.Equal(source.PicksPerHour.Select(v => Math.Round(v, 2)), profile.PicksPerHour);
    }

    [Fact]
    public void The_packed_rates_are_448_characters_and_an_entry_with_an_8_character_sku_533_bytes()
    {
        var entry = DesiredDemandProfile.Encode(Profile());
        Assert.Equal(448, entry["picksPerHour"]!.GetValue<string>().Length);
        Assert.Equal(533, DesiredDemandProfile.Text(entry).Length);
    }

    [Fact]
    public void Packed_rates_of_the_wrong_length_or_not_base64_are_refused_naming_the_format()
    {
        var entry = DesiredDemandProfile.Encode(Profile());
        entry["picksPerHour"] = Convert.ToBase64String(new byte[334]);
        Assert.False(Decode(entry, out _, out var problem));
        Assert.StartsWith("picksPerHour must be base64 of 168 unsigned 16-bit big-endian hundredths", problem, StringComparison.Ordinal);

        entry["picksPerHour"] = "not base64!";
        Assert.False(Decode(entry, out _, out _));
    }

    [Fact]
    public void The_other_fields_are_judged_by_the_profile_parser_with_its_own_messages()
    {
        var noSku = DesiredDemandProfile.Encode(Profile());
        noSku.Remove("sku");
        Assert.False(Decode(noSku, out _, out var problem));
        Assert.Equal("store and sku are required", problem);

        var badTime = DesiredDemandProfile.Encode(Profile());
        badTime["generated"] = "yesterday";
        Assert.False(Decode(badTime, out _, out problem));
        Assert.Equal("generated must be an ISO-8601 timestamp", problem);
    }

    [Fact]
    public void A_rate_beyond_the_packed_range_cannot_be_encoded()
        => Assert.Throws<ArgumentOutOfRangeException>(() => DesiredDemandProfile.Pack(Profile(peak: 655.36).PicksPerHour));

    [Fact]
    public void The_reported_hash_is_sha256_of_the_packed_bytes_and_hours_count_the_hours_with_demand()
    {
        var p = Profile();
        var packed = Convert.FromBase64String(DesiredDemandProfile.Pack(p.PicksPerHour));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(packed))[..16], DesiredDemandProfile.Hash(p));
        Assert.Equal(7 * 12, DesiredDemandProfile.Hours(p));
    }
}

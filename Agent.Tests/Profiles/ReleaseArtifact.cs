using System.Security.Cryptography;
using System.Text;
using ShelfAgent.Artifacts;
using ShelfAgent.Contract;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Tests.Profiles;

/// <summary>
/// A <c>shelf.profile.release.v1</c> artifact as the cloud (or local-lake) makes it: one store's profiles, one per thing and
/// slot, and its job document's fields once signed and served.
/// </summary>
public static class ReleaseArtifact
{
    /// <summary>A flat profile of <paramref name="rate"/> picks per hour for a thing's slot.</summary>
    public static DemandProfile Profile(string store, string thing, string slot, string sku, double rate) =>
        new(store, thing, slot, sku, new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero), 6, Enumerable.Repeat(rate, HourOfWeek.Count).ToArray());

    /// <summary>The artifact's bytes.</summary>
    public static byte[] Bytes(string release, string store, IEnumerable<DemandProfile> profiles) => Encoding.UTF8.GetBytes(
        $$"""{"schema":"shelf.profile.release.v1","release":"{{release}}","store":"{{store}}","profiles":[""" +
        string.Join(",", profiles.Select(p => Encoding.UTF8.GetString(DemandProfileEncoder.Encode(p)))) + "]}");

    /// <summary>The job's artifact fields for <paramref name="bytes"/> served at <paramref name="url"/>, signed with <paramref name="key"/>.</summary>
    public static ArtifactSpec Spec(Uri url, byte[] bytes, SigningKey key) =>
        new(url, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)), key.Sign(bytes), key.Id);
}

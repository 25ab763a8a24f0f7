using System.Security.Cryptography;
using System.Text;

namespace ShelfAgent.LocalLake.Releases;

/// <summary>
/// The canary of an approved release (docs/models.md): a configurable share of the stores, chosen by a hash of the store
/// id and the release id (stable for a release, different from one release to the next), at least one store and never
/// all when there are two or more; every device of a chosen store is in the canary.
/// </summary>
public static class Canary
{
    /// <summary>Splits <paramref name="devices"/> (thing → store) into canary and rest.</summary>
    public static (IReadOnlyList<string> Chosen, IReadOnlyList<string> Others) Choose(
        IReadOnlyDictionary<string, string> devices, string release, double share)
    {
        ArgumentNullException.ThrowIfNull(devices);
        if (share is <= 0 or > 1 || double.IsNaN(share))
        {
            throw new ArgumentOutOfRangeException(nameof(share), share, "the canary share must be in (0, 1]");
        }

        var stores = devices.Values.Distinct(StringComparer.Ordinal)
            .OrderBy(s => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(release + "/" + s))), StringComparer.Ordinal)
            .ToList();
        var take = Math.Clamp((int)Math.Ceiling(stores.Count * share), 1, Math.Max(1, share >= 1 ? stores.Count : stores.Count - 1));
        var chosen = stores.Take(take).ToHashSet(StringComparer.Ordinal);
        var canary = devices.Where(d => chosen.Contains(d.Value)).Select(d => d.Key).Order(StringComparer.Ordinal).ToList();
        var rest = devices.Where(d => !chosen.Contains(d.Value)).Select(d => d.Key).Order(StringComparer.Ordinal).ToList();
        return (canary, rest);
    }
}

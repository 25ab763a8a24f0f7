using ShelfAgent.Config;
using ShelfAgent.Contract;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Profiles;

/// <summary>
/// Which profile a slot runs on when several ways bring one (docs/models.md, "Which profile wins"). Pure. Per slot, first
/// match wins: the shadow's <c>DemandProfiles:&lt;slot&gt;</c> (a single-slot override an operator set on purpose), then
/// the profile release of the last <c>profiles-update</c> job, then <c>Stock:ProfilesPath</c>; no profile at all: the
/// device's own learning.
/// </summary>
public static class ReleaseProfiles
{
    /// <summary>
    /// The release's profiles this device can use: its own thing's, for a slot of agent.json holding the same SKU (a
    /// profile for another SKU would predict the wrong product's sales).
    /// </summary>
    public static IReadOnlyList<DemandProfile> Usable(ProfileRelease release, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(options);
        return [.. release.For(options.Device.ThingName).Where(p => options.Slots.Any(s => s.Id == p.Slot && s.Sku == p.Sku))];
    }

    /// <summary>Every profile in precedence order, for <see cref="DemandProfile.Match"/> (first match wins).</summary>
    public static IReadOnlyList<DemandProfile> Merge(AgentOptions options, ProfileRelease? release)
    {
        ArgumentNullException.ThrowIfNull(options);
        return release is null
            ? options.Stock.Profiles
            : [.. options.Stock.RemoteProfiles.Values, .. Usable(release, options), .. options.Stock.Profiles];
    }

    /// <summary>The slots whose estimates the release feeds (those with a shadow override are not among them).</summary>
    public static IReadOnlyList<string> Served(AgentOptions options, ProfileRelease? release)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (release is null)
        {
            return [];
        }

        var merged = Merge(options, release);
        return [.. options.Slots
            .Where(s => DemandProfile.Match(merged, options.Device.StoreId, options.Device.ThingName, s.Id, s.Sku)?.Release == release.Release)
            .Select(s => s.Id)];
    }
}

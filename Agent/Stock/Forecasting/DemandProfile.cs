namespace ShelfAgent.Stock.Forecasting;

/// <summary>
/// A trained demand shape for one slot (<c>shelf.profile.v1</c>, docs/profile.schema.json): expected picks per
/// hour for each hour of the week (<see cref="HourOfWeek"/>), written by the cloud's training.
/// </summary>
/// <param name="Store">Store id.</param>
/// <param name="Thing">Thing name of the device; null when the profile is per store and SKU only.</param>
/// <param name="Slot">Slot id on that device; null when the profile is per store and SKU only.</param>
/// <param name="Sku">Product.</param>
/// <param name="Generated">When the cloud computed it.</param>
/// <param name="Weeks">Weeks of history behind it.</param>
/// <param name="PicksPerHour">168 values ≥ 0.</param>
public sealed record DemandProfile(
    string Store,
    string? Thing,
    string? Slot,
    string Sku,
    DateTimeOffset Generated,
    int Weeks,
    IReadOnlyList<double> PicksPerHour)
{
    /// <summary>Schema name.</summary>
    public const string Schema = "shelf.profile.v1";

    /// <summary>
    /// The profile release it came with (a <c>profiles-update</c> job, docs/models.md); null for a profile from
    /// <c>Stock:ProfilesPath</c> or the shadow. Forecasts fed by it say <c>cloud:&lt;release&gt;</c>.
    /// </summary>
    public string? Release { get; init; }

    /// <summary>
    /// The profile for a slot: the one naming this thing and slot, else the store's profile for the SKU
    /// (docs/stock.md). Null when none matches.
    /// </summary>
    public static DemandProfile? Match(IReadOnlyList<DemandProfile> profiles, string store, string thing, string slot, string sku)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        DemandProfile? bySku = null;
        foreach (var p in profiles)
        {
            if (p.Thing == thing && p.Slot == slot)
            {
                return p;
            }

            if (bySku is null && p.Store == store && p.Sku == sku && p.Slot is null)
            {
                bySku = p;
            }
        }

        if (bySku is not null)
        {
            return bySku;
        }

        // A profile for another slot of the same SKU in the same store is still the store's shape for it.
        return profiles.FirstOrDefault(p => p.Store == store && p.Sku == sku);
    }
}

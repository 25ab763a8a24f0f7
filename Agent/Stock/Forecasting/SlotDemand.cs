namespace ShelfAgent.Stock.Forecasting;

/// <summary>
/// Expected picks per hour for one slot at any future time: the weekly shape (cloud profile blended with the
/// device's own learning) times an online level that follows the last hour or so. The level is the ratio of
/// picks seen to picks the shape expected, both fading with a <see cref="LevelTimeConstant"/>, so a promotion or a
/// busy day moves the estimate within the hour while the weekly shape stays as it was (docs/stock.md).
/// With a <see cref="StoreLevel"/> the level is the store's (a busy day, a holiday: seen on every slot at once) times
/// this slot's own lift on top of it, learned over <see cref="OwnLevelExposure"/> of the slot's exposure: long enough
/// that a burst of grabs is a small part of it, while a promotion is followed within hours.
/// </summary>
public sealed class SlotDemand(WeeklyDemand device, DemandProfile? cloud, StoreLevel? store = null)
{
    private readonly int _member = store?.Join() ?? -1;

    /// <summary>How fast the online level forgets: about an hour.</summary>
    public static readonly TimeSpan LevelTimeConstant = TimeSpan.FromMinutes(60);

    /// <summary>How long ahead a level away from 1 is believed before it fades back to the shape (a promotion lasts a day).</summary>
    public static readonly TimeSpan LevelPersistence = TimeSpan.FromHours(6);

    /// <summary>Pseudo-picks on both sides of the level's ratio, so a few picks do not swing it.</summary>
    public const double LevelPrior = 1.5;

    /// <summary>
    /// How fast a slot's own lift over its store's level forgets, counted in the slot's exposure (hours it held stock with
    /// a working sensor: empty and faulty hours do not fade it; closed hours do on a device that samples through the night,
    /// so a lift keeps e^-2 of its weight over a 12-hour night): a slot-specific lift is a promotion that lasts hours to
    /// days, while a burst is a few minutes (docs/benchmarks.md, round 7; chosen on seed 7 from 3, 6 and 12 hours).
    /// </summary>
    public static readonly TimeSpan OwnLevelExposure = TimeSpan.FromHours(6);

    /// <summary>Exposure hours one hour-of-week of a cloud profile is worth against the device's own.</summary>
    public const double CloudWeightHours = 6;

    /// <summary>Items, at a dispersion of 1 (Poisson), that the learned dispersion starts from.</summary>
    public const double DispersionPriorItems = 10;

    private const double MinLevel = 0.2;
    private const double MaxLevel = 6;

    private double _seen;
    private double _items;
    private double _itemsSquared;
    private double _expected;
    private double _ownSeen;
    private double _ownExpected;
    private DateTimeOffset? _levelAt;

    /// <summary>The device's learning (grows with every closed hour).</summary>
    public WeeklyDemand Device => device;

    /// <summary>The cloud profile in use, if any.</summary>
    public DemandProfile? Cloud => cloud;

    /// <summary>Which shape feeds the estimate.</summary>
    public ProfileSource Source => cloud is not null ? ProfileSource.Cloud
        : device.HasShape ? ProfileSource.Device
        : ProfileSource.None;

    /// <summary>
    /// Picks seen over picks expected lately (1 when nothing is known); in a store of several slots, the store's level times
    /// this slot's own lift (a device with one slot has no other slots to tell a store-wide lift by: its own level, as before).
    /// </summary>
    public double Level => store is not { Slots: > 1 }
        ? Math.Clamp((_seen + LevelPrior) / (_expected + LevelPrior), MinLevel, MaxLevel)
        : Math.Clamp(store.Level * (_ownSeen + LevelPrior) / (_ownExpected + LevelPrior), MinLevel, MaxLevel);

    /// <summary>
    /// Variance over mean of the items one pick event takes (E[X²]/E[X]: 1 when every customer takes one item),
    /// learned from this slot's settled picks. Items picked in a horizon are a compound Poisson process, whose
    /// variance is this times the mean (<see cref="TimeToEmpty.Variance"/>).
    /// </summary>
    public double Dispersion => (_itemsSquared + DispersionPriorItems) / (_items + DispersionPriorItems);

    /// <summary>The weekly shape's picks per hour in an hour of the week (no online level).</summary>
    public double BaseRate(int hourOfWeek)
    {
        if (cloud is not null)
        {
            var weight = device.Exposure(hourOfWeek);
            var c = cloud.PicksPerHour[hourOfWeek];
            return weight > 0 ? ((weight * device.Rate(hourOfWeek)) + (CloudWeightHours * c)) / (weight + CloudWeightHours) : c;
        }

        if (device.HasShape)
        {
            return device.Rate(hourOfWeek);
        }

        return device.HasRate ? device.OverallRate : 0;
    }

    /// <summary>Expected picks per hour at <paramref name="at"/>, as seen from <paramref name="now"/>.</summary>
    public double RateAt(DateTimeOffset now, DateTimeOffset at)
    {
        var rate = BaseRate(HourOfWeek.Of(at));
        if (Source == ProfileSource.None && !device.HasRate)
        {
            // Nothing learned at all yet: the recent pick rate is all there is.
            return RecentRate(now);
        }

        var ahead = Math.Max(0, (at - now).TotalHours);
        var level = 1 + ((Level - 1) * Math.Exp(-ahead / LevelPersistence.TotalHours));
        return rate * level;
    }

    /// <summary>The slot could be picked from for <paramref name="exposure"/> ending at <paramref name="until"/>.</summary>
    public void ObserveExposure(DateTimeOffset until, TimeSpan exposure)
    {
        Fade(until);
        var expected = BaseRate(HourOfWeek.Of(until - exposure)) * exposure.TotalHours;
        _expected += expected;
        if (store is not null && Known)
        {
            // The own lift fades with the slot's exposure only (not while it is empty or faulty). What it expects is the
            // shape at the store's level of the moment: the slot's own lift is what remains.
            var fade = Math.Exp(-exposure.TotalHours / OwnLevelExposure.TotalHours);
            _ownSeen *= fade;
            _ownExpected *= fade;
            _ownExpected += expected * store.Level;
            store.ObserveExpected(_member, until, expected);
        }
    }

    /// <summary><paramref name="items"/> were picked at <paramref name="at"/>.</summary>
    public void ObservePicks(DateTimeOffset at, int items)
    {
        Fade(at);
        _seen += items;
        if (store is not null && Known)
        {
            _ownSeen += items;
            store.ObservePicks(_member, at, items);
        }

        if (items > 0)
        {
            _items += items;
            _itemsSquared += (double)items * items;
        }
    }

    // A slot with nothing learned expects nothing: its picks would read as a lift of the whole store.
    private bool Known => Source != ProfileSource.None || device.HasRate;

    private double RecentRate(DateTimeOffset now)
    {
        if (_levelAt is not { } at)
        {
            return 0;
        }

        // A fading sum of picks with time constant τ settles at rate × τ.
        var faded = _seen * Math.Exp(-Math.Max(0, (now - at).TotalHours) / LevelTimeConstant.TotalHours);
        return faded / LevelTimeConstant.TotalHours;
    }

    private void Fade(DateTimeOffset now)
    {
        if (_levelAt is { } at && now > at)
        {
            var f = Math.Exp(-(now - at).TotalHours / LevelTimeConstant.TotalHours);
            _seen *= f;
            _expected *= f;
        }

        if (_levelAt is null || now > _levelAt)
        {
            _levelAt = now;
        }
    }
}

using ShelfAgent.Stock;

namespace ShelfAgent.Sensors.Simulated;

/// <summary>
/// What a load cell under a real shelf slot would weigh, as pure state advanced in time: customers pick
/// items as a Poisson process, a clerk restocks to capacity some minutes after the slot runs low, and the
/// cell reads the true weight plus slow drift (temperature creep) and a few grams of noise.
/// </summary>
public sealed class ShelfModel
{
    private readonly SlotOptions _slot;
    private readonly SensorOptions _sensor;
    private readonly Random _random;
    private double _drift;
    private TimeSpan? _restockIn;

    /// <summary>Starts full, or at <paramref name="initialCount"/>.</summary>
    public ShelfModel(SlotOptions slot, Random random, int? initialCount = null)
    {
        ArgumentNullException.ThrowIfNull(slot);
        _slot = slot;
        _sensor = slot.Sensor;
        _random = random;
        Count = initialCount ?? slot.Capacity;
    }

    /// <summary>Items physically on the slot.</summary>
    public int Count { get; private set; }

    /// <summary>Total picks so far.</summary>
    public long Picks { get; private set; }

    /// <summary>Total restocks so far.</summary>
    public long Restocks { get; private set; }

    /// <summary>True while a technician holds the slot (<see cref="Hold"/>): nobody picks or restocks.</summary>
    public bool Held { get; private set; }

    /// <summary>Grams on the cell besides the tray and the items (a calibration weight).</summary>
    public double ExtraGrams { get; private set; }

    /// <summary>What a technician does for <c>calibrate</c>: <paramref name="count"/> items and <paramref name="extraGrams"/>
    /// (a reference weight) on the tray, and hands off the shelf; customers and clerks keep away until the end.</summary>
    public void Hold(int count, double extraGrams)
    {
        Count = Math.Clamp(count, 0, _slot.Capacity);
        ExtraGrams = extraGrams;
        Held = true;
        _restockIn = null;
    }

    /// <summary>Lets <paramref name="elapsed"/> of shop life happen at a flat rate.</summary>
    public void Advance(TimeSpan elapsed) => Advance(elapsed, 1.0);

    /// <summary>
    /// Lets <paramref name="elapsed"/> of shop life happen, with demand scaled by <paramref name="demand"/> (see <see cref="DemandProfile"/>).
    /// </summary>
    public void Advance(TimeSpan elapsed, double demand)
    {
        if (elapsed <= TimeSpan.Zero)
        {
            return;
        }

        if (Held)
        {
            Creep(elapsed);
            return;
        }

        var picks = Poisson(_sensor.PicksPerHour * demand * elapsed.TotalHours);
        var taken = Math.Min(picks, Count);
        Count -= taken;
        Picks += taken;

        if (_restockIn is { } due)
        {
            due -= elapsed;
            if (due <= TimeSpan.Zero)
            {
                Count = _slot.Capacity;
                Restocks++;
                _restockIn = null;
            }
            else
            {
                _restockIn = due;
            }
        }
        else if (_sensor.RestockAt >= 0 && Count <= _sensor.RestockAt)
        {
            // A clerk notices within a few minutes (uniform 1–5 min).
            _restockIn = TimeSpan.FromSeconds(60 + (_random.NextDouble() * 240));
        }

        Creep(elapsed);
    }

    /// <summary>What the cell reads now, in grams.</summary>
    public double Weigh()
        => _slot.TareGrams + (Count * _slot.UnitGrams) + ExtraGrams + _drift + (Gaussian() * _sensor.NoiseGrams);

    // Drift: a mean-reverting random walk of a few grams (load-cell creep and temperature).
    private void Creep(TimeSpan elapsed)
    {
        var seconds = elapsed.TotalSeconds;
        _drift += (-_drift * Math.Min(1, seconds / 600)) + (Gaussian() * 0.2 * Math.Sqrt(seconds));
    }

    private int Poisson(double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        // Knuth's method is fine for the small means of one sampling interval.
        var limit = Math.Exp(-Math.Min(mean, 500));
        var k = 0;
        var p = 1.0;
        do
        {
            k++;
            p *= _random.NextDouble();
        }
        while (p > limit);
        return k - 1;
    }

    private double Gaussian()
    {
        // Box–Muller.
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}

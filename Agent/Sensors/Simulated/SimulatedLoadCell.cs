using ShelfAgent.Stock;

namespace ShelfAgent.Sensors.Simulated;

/// <summary>
/// A simulated load cell behind the same <see cref="ISensor"/> interface as the hardware drivers. Like a load cell
/// on an HX711 it answers in raw converter counts (<see cref="ZeroCounts"/> with nothing on it, <see cref="CountsPerGram"/>
/// more per gram), so <c>calibrate tare</c> and <c>calibrate span</c> can be practised on it; until they have stored a
/// calibration, its <see cref="FactoryCalibration"/> turns the counts back into grams. Time comes from the injected
/// <see cref="TimeProvider"/>, so the simulator can run a day of shop life in seconds.
/// </summary>
public sealed class SimulatedLoadCell : ISensor
{
    /// <summary>Counts per gram: a few hundred, as an HX711 at gain 128 under a 5 kg cell gives. A power of two, so the
    /// factory calibration turns counts back into the very grams they came from (readings are the same as when the
    /// simulated cell spoke grams).</summary>
    public const double CountsPerGram = 256;

    /// <summary>What the converter reads with nothing at all on the cell.</summary>
    public const double ZeroCounts = 65_536;

    private readonly ShelfModel _model;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly double _faultProbability;
    private readonly bool _useDemandProfile;
    private DateTimeOffset _last;

    /// <summary>Creates the cell for a slot; a zero <c>Seed</c> means a random one.</summary>
    public SimulatedLoadCell(SlotOptions slot, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(slot);
        _time = time;
        _random = slot.Sensor.Seed != 0 ? new Random(slot.Sensor.Seed) : new Random();
        _model = new ShelfModel(slot, _random);
        _faultProbability = slot.Sensor.FaultProbability;
        _useDemandProfile = slot.Sensor.DailyPattern;
        _last = time.GetUtcNow();
        Describe = $"simulated load cell ({slot.Sku})";
    }

    /// <summary>Counts → grams for a slot that was never calibrated.</summary>
    public static Calibration FactoryCalibration { get; } = new(ZeroCounts, 1 / CountsPerGram);

    /// <inheritdoc />
    public string Describe { get; }

    /// <summary>The simulated shelf, for the simulator's bookkeeping.</summary>
    public ShelfModel Model => _model;

    /// <inheritdoc />
    public ValueTask<double> ReadRawAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = _time.GetUtcNow();
        _model.Advance(now - _last, _useDemandProfile ? DemandProfile.At(now) : 1.0);
        _last = now;
        if (_faultProbability > 0 && _random.NextDouble() < _faultProbability)
        {
            throw new TimeoutException("simulated fault: load cell not ready");
        }

        return ValueTask.FromResult(ZeroCounts + (_model.Weigh() * CountsPerGram));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

using ShelfAgent.Stock;

namespace ShelfAgent.Sensors.Simulated;

/// <summary>
/// A simulated load cell behind the same <see cref="ISensor"/> interface as the hardware drivers; it speaks
/// grams, so its calibration is the identity. Time comes from the injected <see cref="TimeProvider"/>, so
/// the simulator can run a day of shop life in seconds.
/// </summary>
public sealed class SimulatedLoadCell : ISensor
{
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

        return ValueTask.FromResult(_model.Weigh());
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

using ShelfAgent.Sensors;
using ShelfAgent.Stock;

namespace ShelfAgent.Pipeline;

/// <summary>
/// Reads one slot through its <see cref="ResilientSensor"/> (which turns bus faults, time-outs, stuck and
/// out-of-range values into a fault with a reason and backs off a failing sensor) and turns the sample
/// into a <see cref="Reading"/>. Never throws for a sensor fault: one broken cell does not stop the agent.
/// </summary>
public sealed class SlotSampler(SlotOptions slot, ResilientSensor sensor, TimeProvider time, Func<bool>? clockTrusted = null)
{
    private SlotOptions _slot = slot;

    /// <summary>The slot this sampler reads.</summary>
    public SlotOptions Slot => Volatile.Read(ref _slot);

    /// <summary>New slot settings (SKU, weights, thresholds) accepted at runtime; the sensor stays the same.</summary>
    public void Retarget(SlotOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Volatile.Write(ref _slot, options);
    }

    /// <summary>The slot's sensor.</summary>
    public ResilientSensor Sensor => sensor;

    /// <summary>Takes one reading.</summary>
    public async ValueTask<Reading> SampleAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var sample = await sensor.SampleAsync(cancellationToken).ConfigureAwait(false);
        var reading = StockCalculator.ToReading(now, Slot, sample.Grams, sample.FaultReason);
        // Committed all the same (issue 14): the cloud sees the mark and can re-time or discard.
        return clockTrusted is null || clockTrusted() ? reading : reading with { TimeUntrusted = true };
    }
}

namespace ShelfAgent.Sensors;

/// <summary>
/// A slot's stored calibration: the raw value with the slot empty (tray and pusher on it) and the span
/// factor in grams per raw unit. Gross grams = (raw − TareRaw) × Scale + the slot's TareGrams, so the
/// tray's weight in agent.json stays the operator's to change without recalibrating.
/// </summary>
public sealed record SlotCalibration
{
    /// <summary>Raw value with the slot empty.</summary>
    public double? TareRaw { get; init; }

    /// <summary>Grams per raw unit, from the span step.</summary>
    public double? Scale { get; init; }

    /// <summary>When the tare was taken.</summary>
    public DateTimeOffset? TaredAt { get; init; }

    /// <summary>When the span was taken.</summary>
    public DateTimeOffset? SpannedAt { get; init; }

    /// <summary>Reference weight used for the span, in grams.</summary>
    public double? ReferenceGrams { get; init; }

    /// <summary>The sensor it was taken on (its description), to notice a rewired slot.</summary>
    public string? Sensor { get; init; }

    /// <summary>True when both steps are done.</summary>
    public bool IsComplete => TareRaw is not null && Scale is not null;

    /// <summary>The linear map to gross grams for a slot whose empty weight is <paramref name="tareGrams"/>; null until complete.</summary>
    public Calibration? ToCalibration(double tareGrams)
        => TareRaw is { } t && Scale is { } s && s != 0 ? new Calibration(t - tareGrams / s, s) : null;

    /// <summary>The span factor from the empty and loaded raw values. Pure.</summary>
    /// <exception cref="ArgumentException">The reference weight moved the reading by nothing.</exception>
    public static double SpanScale(double tareRaw, double loadedRaw, double referenceGrams)
    {
        var delta = loadedRaw - tareRaw;
        if (delta == 0 || !double.IsFinite(delta))
        {
            throw new ArgumentException("the reading did not change with the reference weight on: is it on the right slot, and is the load cell wired?");
        }

        return referenceGrams / delta;
    }
}

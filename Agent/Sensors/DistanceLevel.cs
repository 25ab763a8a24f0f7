namespace ShelfAgent.Sensors;

/// <summary>
/// A slot measured by distance, not weight: a sensor at the front looks back along the slot (or at the
/// pusher plate), so each item taken moves the nearest surface one item depth further away.
/// <c>items = (EmptyDistanceMm − distance) / MmPerItem</c>. Pure.
/// </summary>
/// <param name="EmptyDistanceMm">The distance read with the slot empty.</param>
/// <param name="MmPerItem">The depth of one item along the beam.</param>
public sealed record DistanceLevel(double EmptyDistanceMm, double MmPerItem)
{
    /// <summary>Items in front of the empty position for a distance (fractional; negative beyond empty).</summary>
    public double Items(double distanceMm) => (EmptyDistanceMm - distanceMm) / MmPerItem;

    /// <summary>
    /// The slot's weight-scale view of the same level, so stock, events and telemetry treat a distance slot like
    /// a load cell: grams = TareGrams + items × UnitGrams, i.e. <c>(raw − Offset) × Scale</c> with a negative scale.
    /// </summary>
    public Calibration ToCalibration(double unitGrams, double tareGrams)
    {
        var scale = -unitGrams / MmPerItem;
        return new Calibration(EmptyDistanceMm - tareGrams / scale, scale);
    }
}

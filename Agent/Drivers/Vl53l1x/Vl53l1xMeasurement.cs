namespace ShelfAgent.Drivers.Vl53l1x;

/// <summary>One ranging result: the distance and whether the chip vouches for it.</summary>
/// <param name="Millimetres">RESULT__FINAL_CROSSTALK_CORRECTED_RANGE_MM_SD0.</param>
/// <param name="Status">The range status; only <see cref="Vl53l1xRangeStatus.Valid"/> is a usable distance.</param>
public sealed record Vl53l1xMeasurement(int Millimetres, Vl53l1xRangeStatus Status)
{
    /// <summary>True when the chip reports the distance valid.</summary>
    public bool IsValid => Status == Vl53l1xRangeStatus.Valid;
}

namespace ShelfAgent.Sensors;

/// <summary>The calibration file's content: a version and calibrations by slot id.</summary>
public sealed class CalibrationFile
{
    /// <summary>Format version, 1.</summary>
    public int Version { get; set; } = 1;

    /// <summary>Calibrations by slot id.</summary>
    public Dictionary<string, SlotCalibration> Slots { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

namespace ShelfAgent.Drivers.Vl53l1x;

/// <summary>
/// The status of one measurement, numbered as ST's drivers report it (vl53l1_def.h; UM2510 "range status").
/// Only <see cref="Valid"/> carries a distance a count may be based on.
/// </summary>
public enum Vl53l1xRangeStatus
{
    /// <summary>0: the distance is valid.</summary>
    Valid = 0,

    /// <summary>1: sigma failure — the measurement is too noisy (a longer timing budget helps).</summary>
    SigmaFail = 1,

    /// <summary>2: signal failure — too little light came back (target too far, too dark or too small).</summary>
    SignalFail = 2,

    /// <summary>3: the target is closer than the minimum range; the distance is clipped.</summary>
    MinRangeClipped = 3,

    /// <summary>4: out of bounds — the phase is outside the valid limits (target beyond the mode's range).</summary>
    OutOfBounds = 4,

    /// <summary>5: hardware failure.</summary>
    HardwareFail = 5,

    /// <summary>6: valid but the wrap-around check was not done (typically the first result after a start).</summary>
    ValidNoWrapCheck = 6,

    /// <summary>7: wrapped target — a target beyond the mode's range aliased to a short distance.</summary>
    WrapAround = 7,

    /// <summary>8: processing failure.</summary>
    ProcessingFail = 8,

    /// <summary>9: crosstalk signal failure.</summary>
    XtalkSignalFail = 9,

    /// <summary>10: synchronisation interrupt (first result after a start in some modes).</summary>
    SynchronisationInt = 10,

    /// <summary>11: valid, merged pulse.</summary>
    ValidMergedPulse = 11,

    /// <summary>12: a target is present but the signal is too low to range it.</summary>
    TargetPresentLackOfSignal = 12,

    /// <summary>13: minimum range failure (or an invalid region of interest).</summary>
    MinRangeFail = 13,

    /// <summary>255: the chip reported a code with no meaning assigned.</summary>
    Unknown = 255,
}

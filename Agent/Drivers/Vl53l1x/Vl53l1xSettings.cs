namespace ShelfAgent.Drivers.Vl53l1x;

/// <summary>How the VL53L1X ranges.</summary>
/// <param name="DistanceMode">Short (≤ ~1.3 m, better under store lighting) or Long (≤ ~4 m).</param>
/// <param name="TimingBudgetMs">Time per measurement: 15 (Short only), 20, 33, 50, 100, 200 or 500 ms.</param>
/// <param name="ReadyTimeout">How long a measurement may take beyond the budget before the read is a fault.</param>
public sealed record Vl53l1xSettings(Vl53l1xDistanceMode DistanceMode = Vl53l1xDistanceMode.Short, int TimingBudgetMs = 50, TimeSpan ReadyTimeout = default)
{
    /// <summary>The 7-bit address after power-up (datasheet §4: 0x52 as an 8-bit write address).</summary>
    public const int Address = 0x29;

    /// <summary>IDENTIFICATION__MODEL_ID of a VL53L1X.</summary>
    public const ushort ModelId = 0xEACC;

    /// <summary>Short distance mode's reach in millimetres (datasheet, "Ranging performance").</summary>
    public const int ShortModeMaxMm = 1300;

    /// <summary>Long distance mode's reach in millimetres (in the dark).</summary>
    public const int LongModeMaxMm = 4000;

    /// <summary>Budgets the ULD offers, in ms.</summary>
    public static IReadOnlyList<int> TimingBudgets { get; } = [15, 20, 33, 50, 100, 200, 500];

    /// <summary>True when the budget exists in the mode (15 ms only in Short mode).</summary>
    public static bool IsValidBudget(Vl53l1xDistanceMode mode, int budgetMs)
        => TimingBudgets.Contains(budgetMs) && !(budgetMs == 15 && mode == Vl53l1xDistanceMode.Long);

    /// <summary>
    /// RANGE_CONFIG__TIMEOUT_MACROP_A and _B for the budget in the mode (UM2510 SetTimingBudgetInMs; the values
    /// differ by mode because the VCSEL periods do).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The budget does not exist in the mode.</exception>
    public static (ushort A, ushort B) TimeoutMacrops(Vl53l1xDistanceMode mode, int budgetMs) => (mode, budgetMs) switch
    {
        (Vl53l1xDistanceMode.Short, 15) => (0x001D, 0x0027),
        (Vl53l1xDistanceMode.Short, 20) => (0x0051, 0x006E),
        (Vl53l1xDistanceMode.Short, 33) => (0x00D6, 0x006E),
        (Vl53l1xDistanceMode.Short, 50) => (0x01AE, 0x01E8),
        (Vl53l1xDistanceMode.Short, 100) => (0x02E1, 0x0388),
        (Vl53l1xDistanceMode.Short, 200) => (0x03E1, 0x0496),
        (Vl53l1xDistanceMode.Short, 500) => (0x0591, 0x05C1),
        (Vl53l1xDistanceMode.Long, 20) => (0x001E, 0x0022),
        (Vl53l1xDistanceMode.Long, 33) => (0x0060, 0x006E),
        (Vl53l1xDistanceMode.Long, 50) => (0x00AD, 0x00C6),
        (Vl53l1xDistanceMode.Long, 100) => (0x01CC, 0x01EA),
        (Vl53l1xDistanceMode.Long, 200) => (0x02D9, 0x02F8),
        (Vl53l1xDistanceMode.Long, 500) => (0x048F, 0x04A4),
        _ => throw new ArgumentOutOfRangeException(nameof(budgetMs), budgetMs, $"no {budgetMs} ms timing budget in {mode} mode"),
    };

    /// <summary>
    /// The distance-mode registers (UM2510 SetDistanceMode): PHASECAL_CONFIG__TIMEOUT_MACROP, VCSEL periods A and
    /// B, VALID_PHASE_HIGH, SD_CONFIG__WOI_SD0 and SD_CONFIG__INITIAL_PHASE_SD0.
    /// </summary>
    public static (byte Phasecal, byte VcselA, byte VcselB, byte ValidPhaseHigh, ushort WoiSd0, ushort InitialPhaseSd0) ModeRegisters(
        Vl53l1xDistanceMode mode)
        => mode switch
        {
            Vl53l1xDistanceMode.Short => (0x14, 0x07, 0x05, 0x38, 0x0705, 0x0606),
            Vl53l1xDistanceMode.Long => (0x0A, 0x0F, 0x0D, 0xB8, 0x0F0D, 0x0E0E),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Short or Long"),
        };

    /// <summary>
    /// SYSTEM__INTERMEASUREMENT_PERIOD for a period in ms: ms × (RESULT__OSC_CALIBRATE_VAL &amp; 0x3FF) × 1.075
    /// (UM2510 SetInterMeasurementInMs), truncated as the ULD does.
    /// </summary>
    public static uint IntermeasurementCode(int periodMs, ushort oscCalibrate)
        => (uint)((oscCalibrate & 0x3FF) * periodMs * 1.075);

    /// <summary>The status for RESULT__RANGE_STATUS bits 4:0 (the ULD's status_rtn table). Pure.</summary>
    public static Vl53l1xRangeStatus StatusFromRaw(byte raw) => (raw & 0x1F) switch
    {
        3 => Vl53l1xRangeStatus.HardwareFail,
        4 => Vl53l1xRangeStatus.SignalFail,
        5 => Vl53l1xRangeStatus.OutOfBounds,
        6 => Vl53l1xRangeStatus.SigmaFail,
        7 => Vl53l1xRangeStatus.WrapAround,
        8 => Vl53l1xRangeStatus.MinRangeClipped,
        9 => Vl53l1xRangeStatus.Valid,
        12 => Vl53l1xRangeStatus.XtalkSignalFail,
        13 => Vl53l1xRangeStatus.MinRangeFail,
        18 => Vl53l1xRangeStatus.SynchronisationInt,
        19 => Vl53l1xRangeStatus.ValidNoWrapCheck,
        22 => Vl53l1xRangeStatus.ValidMergedPulse,
        23 => Vl53l1xRangeStatus.TargetPresentLackOfSignal,
        _ => Vl53l1xRangeStatus.Unknown,
    };

    /// <summary>The readiness timeout, defaulting to three budgets plus 100 ms.</summary>
    public TimeSpan EffectiveReadyTimeout => ReadyTimeout > TimeSpan.Zero ? ReadyTimeout : TimeSpan.FromMilliseconds(3 * TimingBudgetMs + 100);
}

namespace ShelfAgent.Drivers.Vl53l1x;

/// <summary>
/// VL53L1X register indexes the driver uses. The chip has 16-bit indexes (datasheet §4, "Control interface");
/// ST documents the register map only through its ultra lite driver (ULD, STSW-IMG009, user manual UM2510).
/// </summary>
public enum Vl53l1xRegister : ushort
{
    /// <summary>VHV_CONFIG__TIMEOUT_MACROP_LOOP_BOUND: 0x09 after the first ranging ("two bounds VHV").</summary>
    VhvConfigTimeoutMacropLoopBound = 0x0008,

    /// <summary>VHV_CONFIG__INIT: 0x00 starts VHV from the previous temperature.</summary>
    VhvConfigInit = 0x000B,

    /// <summary>First register of the default configuration block (0x2D–0x87) the ULD writes at init.</summary>
    DefaultConfigurationStart = 0x002D,

    /// <summary>GPIO_HV_MUX__CTRL: bit 4 = 1 makes the interrupt active low.</summary>
    GpioHvMuxCtrl = 0x0030,

    /// <summary>GPIO__TIO_HV_STATUS: bit 0 equals the interrupt's active level when a result is ready.</summary>
    GpioTioHvStatus = 0x0031,

    /// <summary>PHASECAL_CONFIG__TIMEOUT_MACROP (distance mode).</summary>
    PhasecalConfigTimeoutMacrop = 0x004B,

    /// <summary>RANGE_CONFIG__TIMEOUT_MACROP_A (16 bits, timing budget).</summary>
    RangeConfigTimeoutMacropA = 0x005E,

    /// <summary>RANGE_CONFIG__VCSEL_PERIOD_A (distance mode).</summary>
    RangeConfigVcselPeriodA = 0x0060,

    /// <summary>RANGE_CONFIG__TIMEOUT_MACROP_B (16 bits, timing budget).</summary>
    RangeConfigTimeoutMacropB = 0x0061,

    /// <summary>RANGE_CONFIG__VCSEL_PERIOD_B (distance mode).</summary>
    RangeConfigVcselPeriodB = 0x0063,

    /// <summary>RANGE_CONFIG__VALID_PHASE_HIGH (distance mode).</summary>
    RangeConfigValidPhaseHigh = 0x0069,

    /// <summary>SYSTEM__INTERMEASUREMENT_PERIOD (32 bits): milliseconds × the oscillator calibration × 1.075.</summary>
    SystemIntermeasurementPeriod = 0x006C,

    /// <summary>SD_CONFIG__WOI_SD0 (16 bits, distance mode).</summary>
    SdConfigWoiSd0 = 0x0078,

    /// <summary>SD_CONFIG__INITIAL_PHASE_SD0 (16 bits, distance mode).</summary>
    SdConfigInitialPhaseSd0 = 0x007A,

    /// <summary>SYSTEM__INTERRUPT_CLEAR: 0x01 clears the interrupt so the next result can raise it.</summary>
    SystemInterruptClear = 0x0086,

    /// <summary>SYSTEM__MODE_START: 0x40 starts continuous (timed) ranging, 0x00 stops it.</summary>
    SystemModeStart = 0x0087,

    /// <summary>RESULT__RANGE_STATUS (bits 4:0): the first byte of the result block.</summary>
    ResultRangeStatus = 0x0089,

    /// <summary>RESULT__FINAL_CROSSTALK_CORRECTED_RANGE_MM_SD0 (16 bits, millimetres).</summary>
    ResultFinalRangeMm = 0x0096,

    /// <summary>RESULT__OSC_CALIBRATE_VAL (16 bits; bits 9:0 are the oscillator calibration).</summary>
    ResultOscCalibrateVal = 0x00DE,

    /// <summary>FIRMWARE__SYSTEM_STATUS: bit 0 = 1 once the firmware has booted.</summary>
    FirmwareSystemStatus = 0x00E5,

    /// <summary>IDENTIFICATION__MODEL_ID (16 bits): 0xEACC on a VL53L1X.</summary>
    IdentificationModelId = 0x010F,
}

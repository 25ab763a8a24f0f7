namespace ShelfAgent.Drivers.Nau7802;

/// <summary>NAU7802 register addresses (datasheet, "Register Map").</summary>
public enum Nau7802Register : byte
{
    /// <summary>Power-up control: RR, PUD, PUA, PUR, CS, CR, OSCS, AVDDS (bits 0–7).</summary>
    PuCtrl = 0x00,

    /// <summary>Control 1: GAINS[2:0], VLDO[5:3], DRDY_SEL[6], CRP[7].</summary>
    Ctrl1 = 0x01,

    /// <summary>Control 2: CALMOD[1:0], CALS[2], CAL_ERR[3], CRS[6:4], CHS[7].</summary>
    Ctrl2 = 0x02,

    /// <summary>Channel 1 offset calibration, bits 23–16 (then 0x04, 0x05).</summary>
    Ocal1B2 = 0x03,

    /// <summary>I2C control.</summary>
    I2cControl = 0x11,

    /// <summary>Conversion result bits 23–16 (then ADCO_B1 0x13, ADCO_B0 0x14); reads auto-increment.</summary>
    AdcoB2 = 0x12,

    /// <summary>ADC control (REG_CHPS[5:4]), shared with OTP.</summary>
    Adc = 0x15,

    /// <summary>PGA control.</summary>
    Pga = 0x1B,

    /// <summary>Power control: PGA_CAP_EN[7].</summary>
    PgaPwr = 0x1C,

    /// <summary>Device revision: low nibble reads 0xF.</summary>
    DeviceRevision = 0x1F,
}

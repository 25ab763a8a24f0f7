namespace ShelfAgent.Tests.Fakes;

/// <summary>
/// Register model of the NAU7802 (datasheet register map 0x00–0x1F). A write sets the register pointer
/// and then writes bytes with auto-increment; a read returns bytes from the pointer with auto-increment.
/// PU_CTRL.RR resets the registers; PUD raises PUR after 200 µs; CTRL2.CALS runs an offset calibration
/// for a few conversion periods; with PUD, PUA and CS set, a conversion completes every period, setting CR,
/// and reading ADCO_B0 clears CR. The output code is (input µV × gain / VREF) × 2^23 − the calibrated offset,
/// VREF being the LDO voltage (datasheet, "ADC output").
/// </summary>
public sealed class FakeNau7802(FakeClock clock) : IFakeI2cChip
{
    private readonly byte[] _regs = Defaults();
    private byte _pointer;
    private TimeSpan _purAt = TimeSpan.MaxValue;
    private TimeSpan _calDoneAt = TimeSpan.MaxValue;
    private TimeSpan _nextConversion = TimeSpan.MaxValue;
    private int _calibratedOffset;

    /// <summary>Differential input on the selected channel, in volts.</summary>
    public double InputVolts { get; set; }

    /// <summary>Offset error of the front end in codes, which internal calibration measures and removes.</summary>
    public int OffsetErrorCodes { get; set; } = 1234;

    /// <summary>Make the next calibration fail (CAL_ERR).</summary>
    public bool FailCalibration { get; set; }

    public byte this[int register] => _regs[register];

    public int Resets { get; private set; }

    public int Calibrations { get; private set; }

    public int Conversions { get; private set; }

    private static byte[] Defaults()
    {
        var r = new byte[0x20];
        r[0x1F] = 0x0F; // revision id
        return r;
    }

    public void OnWrite(ReadOnlySpan<byte> data)
    {
        Update();
        if (data.Length == 0)
        {
            return;
        }

        _pointer = data[0];
        for (var i = 1; i < data.Length; i++)
        {
            WriteRegister(_pointer++, data[i]);
        }
    }

    public void OnRead(Span<byte> data)
    {
        Update();
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = _regs[_pointer & 0x1F];
            if (_pointer == 0x14)
            {
                _regs[0x00] &= unchecked((byte)~0x20); // reading the result clears CR
            }

            _pointer++;
        }
    }

    private double Vref => 4.5 - 0.3 * ((_regs[0x01] >> 3) & 0b111);

    private int Gain => 1 << (_regs[0x01] & 0b111);

    private TimeSpan Period => ((_regs[0x02] >> 4) & 0b111) switch
    {
        0 => TimeSpan.FromMilliseconds(100),
        1 => TimeSpan.FromMilliseconds(50),
        2 => TimeSpan.FromMilliseconds(25),
        3 => TimeSpan.FromMilliseconds(12.5),
        _ => TimeSpan.FromMilliseconds(1000.0 / 320),
    };

    private bool Running => (_regs[0x00] & 0b0001_0110) == 0b0001_0110; // PUD, PUA, CS

    private void WriteRegister(int register, byte value)
    {
        var now = clock.Elapsed;
        switch (register)
        {
            case 0x00:
                if ((value & 0x01) != 0)
                {
                    Array.Copy(Defaults(), _regs, _regs.Length);
                    _regs[0x00] = 0x01;
                    Resets++;
                    _purAt = TimeSpan.MaxValue;
                    _nextConversion = TimeSpan.MaxValue;
                    return;
                }

                var wasPowered = (_regs[0x00] & 0x02) != 0;
                // PUR (bit 3) and CR (bit 5) are read only.
                _regs[0x00] = (byte)((value & ~0x28) | (_regs[0x00] & 0x28));
                if ((value & 0x02) != 0 && !wasPowered)
                {
                    _purAt = now + TimeSpan.FromMicroseconds(200);
                }
                else if ((value & 0x02) == 0)
                {
                    _regs[0x00] &= unchecked((byte)~0x08);
                    _purAt = TimeSpan.MaxValue;
                }

                _nextConversion = Running ? now + Period : TimeSpan.MaxValue;
                return;
            case 0x02:
                _regs[0x02] = (byte)(value & ~0x08);
                if ((value & 0x04) != 0)
                {
                    _calDoneAt = now + 4 * Period;
                }

                return;
            case 0x12 or 0x13 or 0x14 or 0x1F:
                return; // read only
            default:
                _regs[register & 0x1F] = value;
                return;
        }
    }

    private void Update()
    {
        var now = clock.Elapsed;
        if (now >= _purAt)
        {
            _regs[0x00] |= 0x08;
            _purAt = TimeSpan.MaxValue;
        }

        if (now >= _calDoneAt)
        {
            _calDoneAt = TimeSpan.MaxValue;
            Calibrations++;
            _regs[0x02] &= unchecked((byte)~0x04);
            if (FailCalibration)
            {
                _regs[0x02] |= 0x08;
            }
            else
            {
                _calibratedOffset = OffsetErrorCodes;
                var o = _calibratedOffset & 0xFFFFFF;
                (_regs[0x03], _regs[0x04], _regs[0x05]) = ((byte)(o >> 16), (byte)(o >> 8), (byte)o);
            }
        }

        if (Running && now >= _nextConversion)
        {
            Conversions++;
            var code = Code();
            (_regs[0x12], _regs[0x13], _regs[0x14]) = ((byte)(code >> 16), (byte)(code >> 8), (byte)code);
            _regs[0x00] |= 0x20;
            _nextConversion = now + Period;
        }
    }

    private int Code()
    {
        var ideal = InputVolts * Gain / Vref * (1 << 23) + OffsetErrorCodes - _calibratedOffset;
        return (int)Math.Clamp(Math.Round(ideal), -0x800000, 0x7FFFFF) & 0xFFFFFF;
    }
}

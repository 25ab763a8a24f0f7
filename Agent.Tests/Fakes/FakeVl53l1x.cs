using System.Buffers.Binary;

namespace ShelfAgent.Tests.Fakes;

/// <summary>
/// Register model of the VL53L1X as its datasheet (§4) and ST's ultra lite driver (UM2510) describe it.
/// Indexes are 16 bits, big-endian; a write sets the index and writes bytes with auto-increment; a read returns
/// bytes from the index with auto-increment. FIRMWARE__SYSTEM_STATUS (0xE5) reads 1 once <see cref="BootTime"/>
/// has passed; IDENTIFICATION__MODEL_ID (0x010F) reads 0xEACC. SYSTEM__MODE_START = 0x40 starts ranging: a
/// result completes every timing budget (decoded from RANGE_CONFIG__TIMEOUT_MACROP_A/B with the mode's
/// table), filling RESULT__RANGE_STATUS and the range, and raising the interrupt until SYSTEM__INTERRUPT_CLEAR.
/// GPIO__TIO_HV_STATUS bit 0 shows the interrupt at the level GPIO_HV_MUX__CTRL bit 4 selects (active high when 0).
/// </summary>
public sealed class FakeVl53l1x(FakeClock clock) : IFakeI2cChip
{
    private readonly byte[] _regs = Defaults();
    private readonly TimeSpan _poweredAt = clock.Elapsed;
    private int _index;
    private bool _ranging;
    private bool _interrupt;
    private TimeSpan _nextResult = TimeSpan.MaxValue;

    /// <summary>Time from power-up until the firmware reports booted (a few ms at most on a real part).</summary>
    public TimeSpan BootTime { get; set; } = TimeSpan.FromMilliseconds(1.2);

    /// <summary>Distance to the target, in mm.</summary>
    public int DistanceMm { get; set; } = 500;

    /// <summary>The raw RESULT__RANGE_STATUS code of the next results (9 = valid; 4 = signal fail; 6 = sigma fail …).</summary>
    public byte RawRangeStatus { get; set; } = 9;

    /// <summary>Codes for the next results, one each, before <see cref="RawRangeStatus"/> applies again.</summary>
    public Queue<byte> NextRawStatuses { get; } = new();

    /// <summary>Results never complete (a chip that stopped ranging).</summary>
    public bool Stalled { get; set; }

    /// <summary>RESULT__OSC_CALIBRATE_VAL as a part would read it.</summary>
    public ushort OscCalibrate { get; set; } = 0x01C3;

    public int Results { get; private set; }

    public int InterruptClears { get; private set; }

    public byte this[int register] => _regs[register];

    /// <summary>Makes the part another model (its IDENTIFICATION__MODEL_ID).</summary>
    public void SetModelId(ushort id) => BinaryPrimitives.WriteUInt16BigEndian(_regs.AsSpan(0x010F), id);

    public ushort Word(int register) => BinaryPrimitives.ReadUInt16BigEndian(_regs.AsSpan(register));

    public uint DoubleWord(int register) => BinaryPrimitives.ReadUInt32BigEndian(_regs.AsSpan(register));

    public bool IsRanging => _ranging;

    /// <summary>
    /// The timing budget the written macro-period registers mean, by the ULD's tables; null if they match none
    /// (e.g. still the default configuration's ~100 ms Long-mode values).
    /// </summary>
    public int? TimingBudgetMs
    {
        get
        {
            var mode = _regs[0x60] == 0x07 ? ShortTable : _regs[0x60] == 0x0F ? LongTable : null;
            var key = (Word(0x5E), Word(0x61));
            return mode is not null && mode.TryGetValue(key, out var ms) ? ms : null;
        }
    }

    private static readonly Dictionary<(ushort, ushort), int> ShortTable = new()
    {
        [(0x001D, 0x0027)] = 15,
        [(0x0051, 0x006E)] = 20,
        [(0x00D6, 0x006E)] = 33,
        [(0x01AE, 0x01E8)] = 50,
        [(0x02E1, 0x0388)] = 100,
        [(0x03E1, 0x0496)] = 200,
        [(0x0591, 0x05C1)] = 500,
    };

    private static readonly Dictionary<(ushort, ushort), int> LongTable = new()
    {
        [(0x001E, 0x0022)] = 20,
        [(0x0060, 0x006E)] = 33,
        [(0x00AD, 0x00C6)] = 50,
        [(0x01CC, 0x01EA)] = 100,
        [(0x02D9, 0x02F8)] = 200,
        [(0x048F, 0x04A4)] = 500,
    };

    private static byte[] Defaults()
    {
        var r = new byte[0x200];
        r[0x010F] = 0xEA; // model id
        r[0x0110] = 0xCC;
        r[0x0111] = 0x02; // module type
        return r;
    }

    public void OnWrite(ReadOnlySpan<byte> data)
    {
        Update();
        if (data.Length == 0)
        {
            return;
        }

        // A lone byte is half an index: the chip has not got a register yet.
        _index = data.Length == 1 ? data[0] << 8 : (data[0] << 8) | data[1];
        for (var i = 2; i < data.Length; i++)
        {
            WriteRegister(_index++, data[i]);
        }
    }

    public void OnRead(Span<byte> data)
    {
        Update();
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = ReadRegister(_index++);
        }
    }

    private bool Booted => clock.Elapsed - _poweredAt >= BootTime;

    private TimeSpan Period => TimeSpan.FromMilliseconds(TimingBudgetMs ?? 100);

    private byte ReadRegister(int register)
    {
        return register switch
        {
            0x00E5 => (byte)(Booted ? 0x01 : 0x00),
            0x0031 => (byte)((_regs[0x31] & ~0x01) | (_interrupt == ((_regs[0x30] & 0x10) == 0) ? 0x01 : 0x00)),
            0x00DE => (byte)(OscCalibrate >> 8),
            0x00DF => (byte)OscCalibrate,
            < 0x200 => _regs[register],
            _ => 0x00,
        };
    }

    private void WriteRegister(int register, byte value)
    {
        if (!Booted || register >= 0x200)
        {
            return; // the firmware ignores the bus until it has booted
        }

        switch (register)
        {
            case 0x0086:
                if ((value & 0x01) != 0)
                {
                    _interrupt = false;
                    InterruptClears++;
                }

                return;
            case 0x0087:
                _regs[register] = value;
                _ranging = value == 0x40;
                _nextResult = _ranging ? clock.Elapsed + Period : TimeSpan.MaxValue;
                return;
            case 0x0089 or 0x0096 or 0x0097 or 0x00E5 or 0x010F or 0x0110:
                return; // read only
            default:
                _regs[register] = value;
                return;
        }
    }

    private void Update()
    {
        if (!_ranging || Stalled)
        {
            return;
        }

        while (clock.Elapsed >= _nextResult)
        {
            Results++;
            _regs[0x0089] = NextRawStatuses.TryDequeue(out var s) ? s : RawRangeStatus;
            BinaryPrimitives.WriteUInt16BigEndian(_regs.AsSpan(0x0096), (ushort)DistanceMm);
            _interrupt = true;
            _nextResult += Period;
        }
    }
}

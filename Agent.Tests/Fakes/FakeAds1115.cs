namespace ShelfAgent.Tests.Fakes;

/// <summary>
/// Register model of the ADS1115 (datasheet "Register Map"): the first byte of a write is the address
/// pointer; two more bytes write the pointed register (config only; conversion is read only); a read
/// returns the pointed 16-bit register MSB first. Writing config with OS = 1 in single-shot mode starts a
/// conversion: OS reads 0 until one period (1/DR) has passed, then the conversion register holds
/// round(V / LSB) clipped to 0x8000–0x7FFF, V chosen by MUX from <see cref="Inputs"/>.
/// </summary>
public sealed class FakeAds1115(FakeClock clock) : IFakeI2cChip
{
    private static readonly double[] FullScales = [6.144, 4.096, 2.048, 1.024, 0.512, 0.256, 0.256, 0.256];
    private static readonly int[] Rates = [8, 16, 32, 64, 128, 250, 475, 860];
    private byte _pointer;
    private ushort _config = 0x8583;
    private short _conversion;
    private TimeSpan _doneAt = TimeSpan.MaxValue;

    /// <summary>Voltages on AIN0–AIN3 against GND.</summary>
    public double[] Inputs { get; } = new double[4];

    public ushort Config => _config;

    public int Conversions { get; private set; }

    public void OnWrite(ReadOnlySpan<byte> data)
    {
        Update();
        if (data.Length == 0)
        {
            return;
        }

        _pointer = (byte)(data[0] & 0b11);
        if (data.Length >= 3 && _pointer == 0x01)
        {
            var value = (ushort)((data[1] << 8) | data[2]);
            _config = (ushort)(value & 0x7FFF | (_config & 0x8000));
            if ((value & 0x8000) != 0 && (value & 0x0100) != 0 && (_config & 0x8000) != 0)
            {
                _config &= 0x7FFF; // busy
                _doneAt = clock.Elapsed + TimeSpan.FromSeconds(1.0 / Rates[(_config >> 5) & 0b111]);
            }
        }
    }

    public void OnRead(Span<byte> data)
    {
        Update();
        var value = _pointer switch
        {
            0x00 => (ushort)_conversion,
            0x01 => _config,
            0x02 => (ushort)0x8000,
            _ => (ushort)0x7FFF,
        };
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (byte)(i % 2 == 0 ? value >> 8 : value);
        }
    }

    private void Update()
    {
        if (clock.Elapsed < _doneAt)
        {
            return;
        }

        _doneAt = TimeSpan.MaxValue;
        Conversions++;
        var volts = ((_config >> 12) & 0b111) switch
        {
            0b000 => Inputs[0] - Inputs[1],
            0b001 => Inputs[0] - Inputs[3],
            0b010 => Inputs[1] - Inputs[3],
            0b011 => Inputs[2] - Inputs[3],
            var m => Inputs[m - 0b100],
        };
        var lsb = FullScales[(_config >> 9) & 0b111] / 32768.0;
        _conversion = (short)Math.Clamp(Math.Round(volts / lsb), short.MinValue, short.MaxValue);
        _config |= 0x8000;
    }
}

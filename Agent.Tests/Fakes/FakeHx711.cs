using ShelfAgent.Drivers.Hx711;

namespace ShelfAgent.Tests.Fakes;

/// <summary>
/// Models the HX711's serial interface (datasheet "Serial Interface" and "Power Down"): DOUT goes low when
/// a conversion is ready; each PD_SCK rising edge shifts out the next bit, MSB first; the 25th pulse pulls
/// DOUT high; 25/26/27 pulses select A-128/B-32/A-64 for the next conversion; PD_SCK high for more than
/// 60 µs powers the chip down, and the falling edge afterwards resets it to A-128. Each GPIO access costs
/// <see cref="AccessCost"/> of fake time; <see cref="StallAtPulse"/> models the scheduler preempting us.
/// </summary>
public sealed class FakeHx711
{
    private static readonly TimeSpan PowerDownAfter = TimeSpan.FromMicroseconds(60);
    private readonly FakeClock _clock;
    private readonly Queue<uint> _words;
    private TimeSpan _readyAt;
    private int _pulses;
    private bool _dout = true;
    private bool _sck;
    private TimeSpan _sckHighSince;
    private uint _current;
    private Hx711Gain _gainForConversion = Hx711Gain.A128;

    public FakeHx711(FakeClock clock, IEnumerable<uint> words)
    {
        _clock = clock;
        _words = new Queue<uint>(words);
        _readyAt = clock.Elapsed + ConversionPeriod;
        Dout = new FakeGpioLine(5, ReadDout, _ => throw new InvalidOperationException("DOUT is an input"));
        PdSck = new FakeGpioLine(6, () => _sck, WriteSck);
    }

    public FakeGpioLine Dout { get; }

    public FakeGpioLine PdSck { get; }

    /// <summary>A fresh handle on DOUT, as a new line request gets.</summary>
    public FakeGpioLine OpenDout() => new(Dout.Offset, ReadDout, _ => throw new InvalidOperationException("DOUT is an input"));

    /// <summary>A fresh handle on PD_SCK.</summary>
    public FakeGpioLine OpenPdSck() => new(PdSck.Offset, () => _sck, WriteSck);

    /// <summary>Drops conversions not yet read (the shelf's load changed).</summary>
    public void ClearPending() => _words.Clear();

    /// <summary>Adds conversions to come.</summary>
    public void Enqueue(params uint[] words)
    {
        foreach (var w in words)
        {
            _words.Enqueue(w);
        }
    }

    /// <summary>10 SPS (RATE pin low).</summary>
    public TimeSpan ConversionPeriod { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan AccessCost { get; set; } = TimeSpan.FromMicroseconds(2);

    /// <summary>Pulse number (1-based) at whose high phase the reader is preempted for <see cref="StallFor"/>; 0 for never.</summary>
    public int StallAtPulse { get; set; }

    public TimeSpan StallFor { get; set; } = TimeSpan.FromMicroseconds(200);

    /// <summary>Stall on every read, forever.</summary>
    public bool StallAlways { get; set; }

    /// <summary>Words fully shifted out, with the gain their conversion used.</summary>
    public List<(uint Word, Hx711Gain Gain)> Delivered { get; } = [];

    public int PowerDowns { get; private set; }

    public bool PoweredDown { get; private set; }

    private bool Ready => !PoweredDown && _clock.Elapsed >= _readyAt && (_words.Count > 0 || _pulses > 0);

    private bool ReadDout()
    {
        Tick();
        if (_pulses is > 0 and <= 24)
        {
            return _dout;
        }

        if (Ready && _pulses >= 25)
        {
            // The pulses after the 24th chose the gain of the conversion that has now finished.
            _gainForConversion = (Hx711Gain)Math.Min(_pulses, 27);
            _pulses = 0;
        }

        return !(Ready && _pulses == 0);
    }

    private void WriteSck(bool high)
    {
        Tick();
        if (high == _sck)
        {
            return;
        }

        _sck = high;
        if (high)
        {
            _sckHighSince = _clock.Elapsed;
            Rising();
            if (StallAlways || (StallAtPulse > 0 && _pulses == StallAtPulse))
            {
                StallAtPulse = 0;
                _clock.Advance(StallFor);
            }

            return;
        }

        if (PoweredDown || _clock.Elapsed - _sckHighSince > PowerDownAfter)
        {
            PowerDowns++;
            PoweredDown = false;
            PowerUpReset();
        }
    }

    private void Rising()
    {
        if (PoweredDown)
        {
            return;
        }

        if (_pulses == 0)
        {
            if (!Ready)
            {
                return;
            }

            _current = _words.Dequeue();
        }

        _pulses++;
        if (_pulses <= 24)
        {
            _dout = ((_current >> (24 - _pulses)) & 1) != 0;
        }
        else if (_pulses == 25)
        {
            _dout = true;
            Delivered.Add((_current, _gainForConversion));
            _readyAt = _clock.Elapsed + ConversionPeriod;
        }
    }

    /// <summary>Datasheet: after power-down, the chip resets to channel A gain 128 and settles for 4 conversions.</summary>
    private void PowerUpReset()
    {
        _pulses = 0;
        _dout = true;
        _gainForConversion = Hx711Gain.A128;
        _readyAt = _clock.Elapsed + 4 * ConversionPeriod;
    }

    private void Tick()
    {
        _clock.Advance(AccessCost);
        if (_sck && _clock.Elapsed - _sckHighSince > PowerDownAfter)
        {
            PoweredDown = true;
        }
    }
}

using ShelfAgent.Hardware;

namespace ShelfAgent.Drivers.Hx711;

/// <summary>
/// HX711 24-bit load-cell ADC, bit-banged on two GPIO lines: DOUT (input) and PD_SCK (output).
/// The chip has no timing of its own on the interface: it shifts a bit out on each PD_SCK rising edge,
/// and powers down if PD_SCK stays high for more than 60 µs. Linux may preempt us mid-pulse, so each
/// pulse's high time is measured and a read with a long pulse is thrown away and retried.
/// </summary>
public sealed class Hx711 : IDisposable
{
    private readonly IGpioLine _dout;
    private readonly IGpioLine _sck;
    private readonly TimeProvider _time;
    private readonly Hx711Options _options;
    private bool _gainPending = true;

    /// <summary>Creates the driver over already-requested lines; PD_SCK must start low (powered up).</summary>
    public Hx711(IGpioLine dout, IGpioLine pdSck, Hx711Gain gain, TimeProvider time, Hx711Options? options = null)
    {
        _dout = dout ?? throw new ArgumentNullException(nameof(dout));
        _sck = pdSck ?? throw new ArgumentNullException(nameof(pdSck));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        Gain = Enum.IsDefined(gain) ? gain : throw new ArgumentOutOfRangeException(nameof(gain));
        _options = options ?? new Hx711Options();
    }

    /// <summary>Channel and gain of the conversions this driver asks for.</summary>
    public Hx711Gain Gain { get; }

    /// <summary>Reads that were discarded because a pulse ran long (the scheduler preempted us).</summary>
    public int DiscardedReads { get; private set; }

    /// <summary>
    /// Waits for a conversion and reads it as a signed code. The first read after start, power-up or a
    /// discarded read selects the gain and is itself thrown away, since its conversion used the old setting.
    /// </summary>
    /// <exception cref="HardwareTimeoutException">DOUT never went low.</exception>
    /// <exception cref="HardwareException">Reads kept getting interrupted.</exception>
    public async ValueTask<int> ReadAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= _options.MaxAttempts; attempt++)
        {
            await WaitReadyAsync(cancellationToken).ConfigureAwait(false);
            var ok = TryShiftIn(out var word);
            if (!ok)
            {
                DiscardedReads++;
                _gainPending = true;
                continue;
            }

            if (_gainPending)
            {
                // This conversion ran with the previous (or power-on A/128) setting; the pulses just sent
                // set ours for the next one (datasheet, Table 3).
                _gainPending = false;
                if (Gain != Hx711Gain.A128)
                {
                    attempt--;
                    continue;
                }
            }

            return Hx711Code.FromWord(word);
        }

        throw new HardwareException(
            $"HX711 (DOUT GPIO{_dout.Offset}, PD_SCK GPIO{_sck.Offset}): {_options.MaxAttempts} reads in a row were interrupted (PD_SCK high > 60 µs); " +
            "the system is too busy, or the clock line is loaded");
    }

    /// <summary>Powers the chip down: PD_SCK low to high, and kept high (datasheet: > 60 µs high enters power-down).</summary>
    public void PowerDown()
    {
        _sck.Write(false);
        _sck.Write(true);
    }

    /// <summary>Powers the chip up: PD_SCK low. It resets to channel A, gain 128, so the next read re-selects the gain.</summary>
    public void PowerUp()
    {
        _sck.Write(false);
        _gainPending = true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _dout.Dispose();
        _sck.Dispose();
    }

    private async ValueTask WaitReadyAsync(CancellationToken cancellationToken)
    {
        var start = _time.GetTimestamp();
        // Datasheet: "When output data is not ready for retrieval, digital output pin DOUT is high."
        while (_dout.Read())
        {
            if (_time.GetElapsedTime(start) > _options.ReadyTimeout)
            {
                throw new HardwareTimeoutException(
                    $"HX711 not ready: DOUT (GPIO{_dout.Offset}) stayed high for {_options.ReadyTimeout.TotalMilliseconds:0} ms; " +
                    "check VCC/GND, the DOUT and PD_SCK wires, and that RATE is tied as expected");
            }

            await Task.Delay(_options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Clocks 24 data bits MSB first, then 1–3 pulses selecting the next gain. False if any pulse ran long.</summary>
    private bool TryShiftIn(out uint word)
    {
        word = 0;
        var pulses = (int)Gain;
        for (var i = 0; i < pulses; i++)
        {
            var start = _time.GetTimestamp();
            _sck.Write(true);
            // DOUT is valid 0.1 µs after the rising edge (T2); the ioctl round trip is far longer.
            var bit = i < 24 && _dout.Read();
            _sck.Write(false);
            if (_time.GetElapsedTime(start) > _options.MaxHighTime)
            {
                // The chip may have powered down and reset; stop clocking and start over.
                return false;
            }

            if (i < 24)
            {
                word = (word << 1) | (bit ? 1u : 0u);
            }
        }

        return true;
    }
}

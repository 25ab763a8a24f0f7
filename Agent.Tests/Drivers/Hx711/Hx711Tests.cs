using FsCheck;
using FsCheck.Fluent;
using ShelfAgent.Drivers.Hx711;
using ShelfAgent.Hardware;
using ShelfAgent.Tests.Fakes;

namespace ShelfAgent.Tests.Drivers.Hx711;

// Inside the namespace on purpose: the test namespace ShelfAgent.Tests.Drivers.Hx711 would otherwise hide the chip class.
#pragma warning disable IDE0065
using Hx711 = ShelfAgent.Drivers.Hx711.Hx711;
#pragma warning restore IDE0065

public sealed class Hx711Tests
{
    private readonly FakeClock _clock = new();

    private (FakeHx711 Chip, Hx711 Driver) Create(Hx711Gain gain, params uint[] words)
    {
        var chip = new FakeHx711(_clock, words);
        return (chip, new Hx711(chip.Dout, chip.PdSck, gain, _clock));
    }

    [Theory]
    // Datasheet "Output data format": 0x7FFFFF is the most positive code, 0x800000 the most negative.
    [InlineData(0x000001u, 1)]
    [InlineData(0x7FFFFFu, 8_388_607)]
    [InlineData(0x800000u, -8_388_608)]
    [InlineData(0xFFFFFFu, -1)]
    [InlineData(0b0000_0000_0000_0100_1101_0010u, 1234)]
    public async Task Reads_24_bit_twos_complement_words_msb_first(uint word, int expected)
    {
        var (_, hx) = Create(Hx711Gain.A128, word);

        Assert.Equal(expected, await hx.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Reads_successive_conversions_in_order()
    {
        var (chip, hx) = Create(Hx711Gain.A128, 10, 20, 30);

        Assert.Equal(10, await hx.ReadAsync(CancellationToken.None));
        Assert.Equal(20, await hx.ReadAsync(CancellationToken.None));
        Assert.Equal(30, await hx.ReadAsync(CancellationToken.None));
        Assert.All(chip.Delivered, d => Assert.Equal(Hx711Gain.A128, d.Gain));
    }

    [Theory]
    [InlineData(Hx711Gain.B32)]
    [InlineData(Hx711Gain.A64)]
    public async Task Selects_gain_with_extra_pulses_and_discards_the_conversion_made_before(Hx711Gain gain)
    {
        var (chip, hx) = Create(gain, 111, 222, 333);

        var value = await hx.ReadAsync(CancellationToken.None);
        var next = await hx.ReadAsync(CancellationToken.None);

        Assert.Equal(222, value);
        Assert.Equal(333, next);
        Assert.Equal([Hx711Gain.A128, gain, gain], chip.Delivered.Select(d => d.Gain));
    }

    [Fact]
    public async Task Discards_and_retries_a_read_whose_clock_stayed_high_over_60_us()
    {
        var (chip, hx) = Create(Hx711Gain.A128, 0x123456, 0x000042, 0x000043);
        chip.StallAtPulse = 12; // preempted in the middle of the data bits

        var value = await hx.ReadAsync(CancellationToken.None);

        Assert.Equal(0x42, value);
        Assert.Equal(1, hx.DiscardedReads);
        Assert.Equal(1, chip.PowerDowns);
    }

    [Fact]
    public async Task Reselects_the_gain_after_a_preempted_read_reset_the_chip()
    {
        var (chip, hx) = Create(Hx711Gain.B32, 1, 2, 3, 4, 5);
        Assert.Equal(2, await hx.ReadAsync(CancellationToken.None));
        chip.StallAtPulse = 5;

        var value = await hx.ReadAsync(CancellationToken.None);

        // 3 is lost mid-read and the chip resets to A-128: 4 is converted at A-128 and dropped while
        // selecting B-32 again; 5 is the answer.
        Assert.Equal(5, value);
        Assert.Equal(1, chip.PowerDowns);
        Assert.Equal([(1u, Hx711Gain.A128), (2u, Hx711Gain.B32), (4u, Hx711Gain.A128), (5u, Hx711Gain.B32)], chip.Delivered);
    }

    [Fact]
    public async Task Times_out_when_dout_never_goes_low()
    {
        var (_, hx) = Create(Hx711Gain.A128);

        var e = await Assert.ThrowsAsync<HardwareTimeoutException>(() => hx.ReadAsync(CancellationToken.None).AsTask());

        Assert.Contains("HX711 not ready: DOUT (GPIO5) stayed high for 1000 ms", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gives_up_with_a_clear_error_when_every_read_is_interrupted()
    {
        var (chip, hx) = Create(Hx711Gain.A128, Enumerable.Range(1, 20).Select(i => (uint)i).ToArray());
        chip.StallAlways = true;

        var e = await Assert.ThrowsAsync<HardwareException>(() => hx.ReadAsync(CancellationToken.None).AsTask());

        Assert.Contains("5 reads in a row were interrupted", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Power_down_holds_the_clock_high_and_power_up_resets_to_channel_a_gain_128()
    {
        var (chip, hx) = Create(Hx711Gain.B32, 1, 2, 3, 4);
        Assert.Equal(2, await hx.ReadAsync(CancellationToken.None));

        hx.PowerDown();
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(chip.Dout.Read()); // not ready while powered down
        Assert.True(chip.PoweredDown);
        hx.PowerUp();

        Assert.Equal(1, chip.PowerDowns);
        Assert.Equal(4, await hx.ReadAsync(CancellationToken.None));
        Assert.Equal(Hx711Gain.A128, chip.Delivered[2].Gain);
        Assert.Equal(Hx711Gain.B32, chip.Delivered[3].Gain);
    }

    [Fact]
    public async Task Cancellation_stops_the_wait_for_data()
    {
        var (_, hx) = Create(Hx711Gain.A128);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hx.ReadAsync(cts.Token).AsTask());
    }

    [Fact]
    public void Code_sign_extension_round_trips_every_24_bit_value()
    {
        Prop.ForAll(Gen.Choose(Hx711Code.Min, Hx711Code.Max).ToArbitrary(), v => Hx711Code.FromWord((uint)v & 0xFFFFFF) == v)
            .QuickCheckThrowOnFailure();
    }
}

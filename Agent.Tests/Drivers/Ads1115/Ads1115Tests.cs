using ShelfAgent.Drivers.Ads1115;
using ShelfAgent.Hardware;
using ShelfAgent.Tests.Fakes;

namespace ShelfAgent.Tests.Drivers.Ads1115;

// Inside the namespace on purpose: the test namespace ShelfAgent.Tests.Drivers.Ads1115 would otherwise hide the chip class.
#pragma warning disable IDE0065
using Ads1115 = ShelfAgent.Drivers.Ads1115.Ads1115;
#pragma warning restore IDE0065

public sealed class Ads1115Tests : IDisposable
{
    private readonly FakeClock _clock = new();
    private readonly FakeI2cBus _bus = new(1);
    private readonly FakeAds1115 _chip;

    public Ads1115Tests()
    {
        _chip = new FakeAds1115(_clock);
        _bus.Chips[0x48] = _chip;
    }

    private Ads1115 Create(Ads1115Settings settings) => new(_bus.OpenDevice(0x48), settings, _clock);

    [Theory]
    // OS | MUX | PGA | MODE | DR | COMP_MODE, POL, LAT | COMP_QUE (datasheet, Config Register)
    [InlineData(Ads1115Input.Ain0, 4.096, 128, 0b1_100_001_1_100_000_11)]
    [InlineData(Ads1115Input.Ain0MinusAin1, 2.048, 128, 0b1_000_010_1_100_000_11)]
    [InlineData(Ads1115Input.Ain3, 6.144, 8, 0b1_111_000_1_000_000_11)]
    [InlineData(Ads1115Input.Ain2MinusAin3, 0.256, 860, 0b1_011_101_1_111_000_11)]
    public void Single_shot_config_word_has_the_datasheet_bits(Ads1115Input input, double fullScale, int rate, int expected)
        => Assert.Equal((ushort)expected, new Ads1115Settings(input, fullScale, rate).SingleShotConfig);

    [Theory]
    // LSB = FSR / 2^15: 62.5 µV at ±2.048 V, so 1 V reads 16 000; 125 µV at ±4.096 V.
    [InlineData(2.048, 1.0, 16_000)]
    [InlineData(4.096, 1.0, 8_000)]
    [InlineData(4.096, 3.3, 26_400)]
    [InlineData(2.048, 2.5, 0x7FFF)] // beyond full scale: clipped
    [InlineData(0.256, 0.0001, 13)]
    public async Task Reads_the_code_for_the_input_voltage(double fullScale, double volts, int expected)
    {
        _chip.Inputs[0] = volts;
        using var ads = Create(new Ads1115Settings(Ads1115Input.Ain0, fullScale, 128));

        Assert.Equal(expected, await ads.ReadCodeAsync(CancellationToken.None));
        Assert.Equal(1, _chip.Conversions);
    }

    [Fact]
    public async Task Differential_input_reads_negative_codes()
    {
        _chip.Inputs[0] = 1.0;
        _chip.Inputs[1] = 1.5;
        using var ads = Create(new Ads1115Settings(Ads1115Input.Ain0MinusAin1, 2.048, 250));

        var code = await ads.ReadCodeAsync(CancellationToken.None);

        Assert.Equal(-8000, code);
        Assert.Equal(-0.5, ads.ToVolts(code), 6);
    }

    [Fact]
    public async Task Selects_the_input_through_the_multiplexer()
    {
        _chip.Inputs[2] = 0.75;
        using var ads = Create(new Ads1115Settings(Ads1115Input.Ain2, 4.096, 860));

        Assert.Equal(0.75, await ads.ReadVoltsAsync(CancellationToken.None), 3);
        Assert.Equal(0b110, (_chip.Config >> 12) & 0b111);
        Assert.Equal(0b1, (_chip.Config >> 8) & 0b1); // single-shot mode
    }

    [Fact]
    public void Fresh_chip_reads_the_reset_config_0x8583()
    {
        using var ads = Create(new Ads1115Settings());

        Assert.Equal(0x8583, ads.ReadConfig());
    }

    [Theory]
    [InlineData(short.MaxValue, true)]
    [InlineData(short.MinValue, true)]
    [InlineData(0, false)]
    public void Saturated_codes_are_recognised(short code, bool saturated)
        => Assert.Equal(saturated, Ads1115.IsSaturated(code));

    [Fact]
    public async Task No_device_at_the_address_is_a_nack()
    {
        using var ads = new Ads1115(_bus.OpenDevice(0x49), new Ads1115Settings(), _clock);

        var e = await Assert.ThrowsAsync<I2cNackException>(() => ads.ReadCodeAsync(CancellationToken.None).AsTask());

        Assert.Equal("no device answered at 0x49 on bus 1: check wiring and address", e.Message);
    }

    [Theory]
    [InlineData("AIN0", Ads1115Input.Ain0)]
    [InlineData("ain3", Ads1115Input.Ain3)]
    [InlineData("AIN0-AIN1", Ads1115Input.Ain0MinusAin1)]
    [InlineData("AIN2 - AIN3", Ads1115Input.Ain2MinusAin3)]
    public void Parses_input_names(string text, Ads1115Input expected)
    {
        Assert.True(Ads1115Settings.TryParseInput(text, out var input));
        Assert.Equal(expected, input);
    }

    [Fact]
    public void Rejects_unknown_input_names() => Assert.False(Ads1115Settings.TryParseInput("AIN1-AIN2", out _));

    public void Dispose() => _bus.Dispose();
}

using ShelfAgent.Hardware;

namespace ShelfAgent.Tests.Fakes;

/// <summary>A GPIO chip that hands out the lines of an HX711 model at given offsets.</summary>
public sealed class FakeGpioChip(int chip, FakeHx711 hx711, int doutOffset, int sckOffset) : IGpioChip
{
    private const int EBUSY = 16;

    public int Chip => chip;

    public IGpioLine OpenInput(int offset, GpioBias bias, string consumer)
        => offset == doutOffset ? hx711.OpenDout() : throw HardwareErrors.GpioLine(chip, offset, "line request", EBUSY);

    public IGpioLine OpenOutput(int offset, bool initialHigh, string consumer)
        => offset == sckOffset ? hx711.OpenPdSck() : throw HardwareErrors.GpioLine(chip, offset, "line request", EBUSY);

    public void Dispose()
    {
    }
}

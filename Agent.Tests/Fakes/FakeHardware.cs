using ShelfAgent.Hardware;

namespace ShelfAgent.Tests.Fakes;

/// <summary>Fake buses and GPIO chips by number; missing ones fail like a machine without them.</summary>
public sealed class FakeHardware : IHardwareAccess
{
    private const int ENOENT = 2;

    public Dictionary<int, FakeI2cBus> Buses { get; } = [];

    public Dictionary<int, FakeGpioChip> GpioChips { get; } = [];

    public int I2cOpens { get; private set; }

    public IGpioChip OpenGpioChip(int chip)
        => GpioChips.TryGetValue(chip, out var c) ? c : throw HardwareErrors.GpioOpen(chip, ENOENT);

    public II2cBus OpenI2cBus(int bus)
    {
        I2cOpens++;
        return Buses.TryGetValue(bus, out var b) ? b : throw HardwareErrors.I2cOpen(bus, ENOENT);
    }
}

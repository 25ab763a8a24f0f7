namespace ShelfAgent.Hardware.Linux;

/// <summary>The real buses: /dev/gpiochipN and /dev/i2c-N.</summary>
public sealed class LinuxHardware : IHardwareAccess
{
    /// <summary>The one instance; it holds no state.</summary>
    public static LinuxHardware Instance { get; } = new();

    /// <inheritdoc />
    public IGpioChip OpenGpioChip(int chip) => LinuxGpioChip.Open(chip);

    /// <inheritdoc />
    public II2cBus OpenI2cBus(int bus) => LinuxI2cBus.Open(bus);
}

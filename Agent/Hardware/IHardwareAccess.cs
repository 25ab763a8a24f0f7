namespace ShelfAgent.Hardware;

/// <summary>Opens buses and chips; the Linux implementation on a Pi, fakes modelling the chips in tests.</summary>
public interface IHardwareAccess
{
    /// <summary>Opens /dev/gpiochipN.</summary>
    /// <exception cref="HardwareException">Missing, not permitted, or failing.</exception>
    IGpioChip OpenGpioChip(int chip);

    /// <summary>Opens /dev/i2c-N.</summary>
    /// <exception cref="HardwareException">Missing, not permitted, or failing.</exception>
    II2cBus OpenI2cBus(int bus);
}

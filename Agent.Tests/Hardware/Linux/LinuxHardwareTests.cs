using ShelfAgent.Hardware;
using ShelfAgent.Hardware.Linux;

namespace ShelfAgent.Tests.Hardware.Linux;

/// <summary>The real libc path on this machine, which has neither /dev/i2c-* nor /dev/gpiochip*.</summary>
public sealed class LinuxHardwareTests
{
    [Fact]
    public void Opening_a_missing_i2c_bus_fails_with_the_enable_i2c_hint()
    {
        var e = Assert.Throws<HardwareUnavailableException>(() => LinuxHardware.Instance.OpenI2cBus(77));
        Assert.Contains("/dev/i2c-77 not found: I2C is not enabled", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, e.Errno);
    }

    [Fact]
    public void Opening_a_missing_gpio_chip_fails_with_a_clear_message()
    {
        var e = Assert.Throws<HardwareUnavailableException>(() => LinuxHardware.Instance.OpenGpioChip(77));
        Assert.Contains("/dev/gpiochip77 not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_that_is_not_an_i2c_adapter_fails_the_funcs_ioctl_with_enotty()
    {
        // /dev/null opens but refuses I2C_FUNCS: the open and ioctl P/Invokes run for real.
        var e = Assert.ThrowsAny<HardwareException>(() => LinuxI2cBus.OpenNode("/dev/null", 0));
        Assert.Equal(25, e.Errno);
    }

    [Fact]
    public void A_node_that_is_not_a_gpio_chip_fails_the_chipinfo_ioctl_with_enotty()
    {
        var e = Assert.ThrowsAny<HardwareException>(() => LinuxGpioChip.Open("/dev/null", 0));
        Assert.Equal(25, e.Errno);
    }
}

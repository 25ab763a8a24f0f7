using ShelfAgent.Hardware;

namespace ShelfAgent.Tests.Hardware;

public sealed class HardwareErrorsTests
{
    [Fact]
    public void Missing_i2c_node_says_how_to_enable_i2c()
    {
        var e = Assert.IsType<HardwareUnavailableException>(HardwareErrors.I2cOpen(1, 2));
        Assert.Contains("/dev/i2c-1 not found", e.Message, StringComparison.Ordinal);
        Assert.Contains("raspi-config nonint do_i2c 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("dtparam=i2c_arm=on", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(13)] // EACCES
    [InlineData(1)]  // EPERM
    public void Permission_denied_names_the_group_and_device_allow(int errno)
    {
        var i2c = Assert.IsType<HardwareAccessDeniedException>(HardwareErrors.I2cOpen(1, errno));
        Assert.Contains("group i2c", i2c.Message, StringComparison.Ordinal);
        Assert.Contains("DeviceAllow=/dev/i2c-1", i2c.Message, StringComparison.Ordinal);
        var gpio = Assert.IsType<HardwareAccessDeniedException>(HardwareErrors.GpioOpen(0, errno));
        Assert.Contains("group gpio", gpio.Message, StringComparison.Ordinal);
        Assert.Contains("DeviceAllow=/dev/gpiochip0", gpio.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(121)] // EREMOTEIO (bcm2835)
    [InlineData(6)]   // ENXIO
    [InlineData(5)]   // EIO
    public void Nack_says_no_device_answered_at_the_address(int errno)
    {
        var e = Assert.IsType<I2cNackException>(HardwareErrors.I2cTransfer(1, 0x2A, errno));
        Assert.Equal("no device answered at 0x2A on bus 1: check wiring and address", e.Message);
        Assert.IsAssignableFrom<IOException>(e);
    }

    [Fact]
    public void Bus_timeout_is_a_timeout_exception()
    {
        var e = Assert.IsType<HardwareTimeoutException>(HardwareErrors.I2cTransfer(1, 0x48, 110));
        Assert.Contains("timed out", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Busy_gpio_line_points_at_gpioinfo()
    {
        var e = Assert.IsType<HardwareException>(HardwareErrors.GpioLine(0, 5, "line request", 16));
        Assert.Contains("GPIO line 5 on /dev/gpiochip0 is in use", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_errno_keeps_the_number()
    {
        var e = Assert.IsType<HardwareException>(HardwareErrors.I2cOpen(3, 9999));
        Assert.Contains("errno 9999", e.Message, StringComparison.Ordinal);
        Assert.Equal(9999, e.Errno);
    }
}

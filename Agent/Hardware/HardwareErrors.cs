using System.Globalization;
using ShelfAgent.Hardware.Linux;

namespace ShelfAgent.Hardware;

/// <summary>
/// The one place where Linux errno values from the GPIO and I2C character devices become typed
/// exceptions with a message that says what to do. Pure: takes the errno and the context, returns the exception.
/// </summary>
public static class HardwareErrors
{
    /// <summary>Opening <c>/dev/i2c-N</c> failed.</summary>
    public static Exception I2cOpen(int bus, int errno)
    {
        var path = I2cPath(bus);
        return errno switch
        {
            Errno.ENOENT or Errno.ENODEV or Errno.ENXIO => new HardwareUnavailableException(
                $"{path} not found: I2C is not enabled: run raspi-config nonint do_i2c 0, or add dtparam=i2c_arm=on to /boot/firmware/config.txt, " +
                $"then reboot (bus {bus.ToString(CultureInfo.InvariantCulture)})",
                errno),
            Errno.EACCES or Errno.EPERM => new HardwareAccessDeniedException(
                $"permission denied opening {path}: add the service user to group i2c (sudo usermod -aG i2c shelf-agent, then log in again), " +
                $"and if it runs under systemd allow the device (DeviceAllow={path} rw)",
                errno),
            _ => Generic($"cannot open {path}", errno),
        };
    }

    /// <summary>Opening <c>/dev/gpiochipN</c> failed.</summary>
    public static Exception GpioOpen(int chip, int errno)
    {
        var path = GpioPath(chip);
        return errno switch
        {
            Errno.ENOENT or Errno.ENODEV or Errno.ENXIO => new HardwareUnavailableException(
                $"{path} not found: this machine has no such GPIO chip " +
                "(on a Pi 4 and on a Pi 5 with a current kernel the header is gpiochip0; run gpiodetect to list chips)",
                errno),
            Errno.EACCES or Errno.EPERM => new HardwareAccessDeniedException(
                $"permission denied opening {path}: add the service user to group gpio (sudo usermod -aG gpio shelf-agent, then log in again), " +
                $"and if it runs under systemd allow the device (DeviceAllow={path} rw)",
                errno),
            _ => Generic($"cannot open {path}", errno),
        };
    }

    /// <summary>Requesting or driving a GPIO line failed.</summary>
    public static Exception GpioLine(int chip, int line, string action, int errno)
    {
        var where = $"GPIO line {line.ToString(CultureInfo.InvariantCulture)} on {GpioPath(chip)}";
        return errno switch
        {
            Errno.EBUSY => new HardwareException(
                $"{where} is in use by another program or kernel driver (gpioinfo shows its consumer); pick a free line or stop the other user", errno),
            Errno.EINVAL => new HardwareException(
                $"{where}: {action} rejected (the line does not exist on this chip, or the kernel lacks GPIO uAPI v2 – kernel 5.10 or later is needed)",
                errno),
            Errno.EACCES or Errno.EPERM => new HardwareAccessDeniedException($"{where}: permission denied; add the service user to group gpio", errno),
            _ => Generic($"{where}: {action} failed", errno),
        };
    }

    /// <summary>A transfer or setup ioctl on an I2C device failed.</summary>
    public static Exception I2cTransfer(int bus, int address, int errno)
    {
        var b = bus.ToString(CultureInfo.InvariantCulture);
        var a = FormatAddress(address);
        return errno switch
        {
            // The bcm2835 and designware adapters report a NACK as EREMOTEIO; others as ENXIO or EIO.
            Errno.EREMOTEIO or Errno.ENXIO or Errno.EIO => new I2cNackException($"no device answered at {a} on bus {b}: check wiring and address", errno),
            Errno.ETIMEDOUT or Errno.EAGAIN => new HardwareTimeoutException(
                $"I2C bus {b} timed out talking to {a}: a device may be holding SDA or SCL low; check wiring, pull-ups and power, then power-cycle the sensor"),
            Errno.EBUSY => new HardwareException(
                $"address {a} on bus {b} is claimed by a kernel driver (a dtoverlay in config.txt?); remove the overlay or use another address", errno),
            Errno.EOPNOTSUPP or Errno.ENOTTY or Errno.EINVAL => new HardwareException(
                $"I2C bus {b} does not support the transfer to {a} (plain I2C with repeated start is needed; is this an SMBus-only adapter?)", errno),
            _ => Generic($"I2C transfer to {a} on bus {b} failed", errno),
        };
    }

    /// <summary>0x2A style.</summary>
    public static string FormatAddress(int address) => "0x" + address.ToString("X2", CultureInfo.InvariantCulture);

    /// <summary>/dev/i2c-N.</summary>
    public static string I2cPath(int bus) => "/dev/i2c-" + bus.ToString(CultureInfo.InvariantCulture);

    /// <summary>/dev/gpiochipN.</summary>
    public static string GpioPath(int chip) => "/dev/gpiochip" + chip.ToString(CultureInfo.InvariantCulture);

    private static HardwareException Generic(string what, int errno)
        => new($"{what}: {new System.ComponentModel.Win32Exception(errno).Message} (errno {errno.ToString(CultureInfo.InvariantCulture)})", errno);
}

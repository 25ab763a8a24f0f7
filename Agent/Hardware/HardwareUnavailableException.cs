namespace ShelfAgent.Hardware;

/// <summary>The device node (/dev/i2c-N, /dev/gpiochipN) does not exist: the interface is not enabled or this is not the right machine.</summary>
public sealed class HardwareUnavailableException : HardwareException
{
    /// <summary>Creates the exception.</summary>
    public HardwareUnavailableException(string message, int errno = 0) : base(message, errno) { }

    /// <summary>Creates the exception.</summary>
    public HardwareUnavailableException() { }

    /// <summary>Creates the exception.</summary>
    public HardwareUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}

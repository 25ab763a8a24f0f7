namespace ShelfAgent.Hardware;

/// <summary>No device acknowledged its address (EREMOTEIO, ENXIO or EIO from the adapter): wiring, power or address.</summary>
public sealed class I2cNackException : HardwareException
{
    /// <summary>Creates the exception.</summary>
    public I2cNackException(string message, int errno = 0) : base(message, errno) { }

    /// <summary>Creates the exception.</summary>
    public I2cNackException() { }

    /// <summary>Creates the exception.</summary>
    public I2cNackException(string message, Exception innerException) : base(message, innerException) { }
}

namespace ShelfAgent.Hardware;

/// <summary>The bus or chip did not answer in time: an I2C transfer timed out, or a converter never signalled data ready.</summary>
public sealed class HardwareTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public HardwareTimeoutException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public HardwareTimeoutException() { }

    /// <summary>Creates the exception.</summary>
    public HardwareTimeoutException(string message, Exception innerException) : base(message, innerException) { }
}

namespace ShelfAgent.Hardware;

/// <summary>
/// A bus or device fault, with a message a technician can act on (what failed and what to check).
/// It is an <see cref="IOException"/>, so callers that handle I/O faults handle it.
/// </summary>
public class HardwareException : IOException
{
    /// <summary>Creates the exception.</summary>
    public HardwareException(string message, int errno = 0)
        : base(message) => Errno = errno;

    /// <summary>Creates the exception.</summary>
    public HardwareException() : base() { }

    /// <summary>Creates the exception.</summary>
    public HardwareException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The Linux errno behind the fault, or 0.</summary>
    public int Errno { get; }
}

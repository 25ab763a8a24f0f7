namespace ShelfAgent.Hardware;

/// <summary>The device node exists but this user may not open it (group membership, systemd DeviceAllow).</summary>
public sealed class HardwareAccessDeniedException : HardwareException
{
    /// <summary>Creates the exception.</summary>
    public HardwareAccessDeniedException(string message, int errno = 0) : base(message, errno) { }

    /// <summary>Creates the exception.</summary>
    public HardwareAccessDeniedException() { }

    /// <summary>Creates the exception.</summary>
    public HardwareAccessDeniedException(string message, Exception innerException) : base(message, innerException) { }
}

namespace ShelfAgent.Cli;

/// <summary>Process exit codes (sysexits.h), so systemd and scripts can tell failures apart.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>A generic failure.</summary>
    public const int Failure = 1;

    /// <summary>EX_USAGE: wrong arguments.</summary>
    public const int Usage = 64;

    /// <summary>EX_NOINPUT: an input file is missing or unreadable (provision: the claim certificate or key).</summary>
    public const int NoInput = 66;

    /// <summary>EX_UNAVAILABLE: a device or service the command needs is not there (no I2C bus, broker refused).</summary>
    public const int Unavailable = 69;

    /// <summary>EX_SOFTWARE: an internal error.</summary>
    public const int Software = 70;

    /// <summary>EX_IOERR: an input/output error.</summary>
    public const int IoError = 74;

    /// <summary>EX_CANTCREAT: the output exists and is not replaced without being told to (provision: an identity, without --force).</summary>
    public const int CannotCreate = 73;

    /// <summary>EX_NOPERM: the other side refused (provision: AWS IoT rejected create-from-csr or RegisterThing).</summary>
    public const int NoPermission = 77;

    /// <summary>EX_CONFIG: the configuration is wrong; systemd's RestartPreventExitStatus keeps it from looping.</summary>
    public const int Config = 78;
}

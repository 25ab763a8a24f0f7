namespace ShelfAgent.LocalIot.Cli;

/// <summary>Exit codes of local-iot-core (sysexits.h, as shelf-agent uses them).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The core refused the request (the reason is printed).</summary>
    public const int Refused = 1;

    public const int Usage = 64;

    public const int NoInput = 66;

    /// <summary>No core runs on the state folder, or mosquitto is missing.</summary>
    public const int Unavailable = 69;

    public const int IoError = 74;
}

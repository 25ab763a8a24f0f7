namespace ShelfAgent.Config;

/// <summary>
/// What a command uses of agent.json, so it checks only that: wiring and calibrating come before the
/// device's certificate is installed, so <c>sensors read</c> must not refuse for want of <c>Mqtt:KeyFile</c>.
/// Device, Buffer, Publish and Logging keys are always checked (they touch no file).
/// </summary>
[Flags]
public enum ConfigUse
{
    /// <summary>Only the keys that touch nothing (buffer commands).</summary>
    None = 0,

    /// <summary><c>Slots[]</c> and their sensors.</summary>
    Slots = 1,

    /// <summary><c>Mqtt:*</c> and the certificate and key files.</summary>
    Broker = 2,

    /// <summary><c>Buffer:Path</c>: its folder must be writable (the service creates the SQLite file there).</summary>
    BufferFolder = 4,

    /// <summary><c>Calibration:Path</c>: when present, the file must be a calibration file.</summary>
    CalibrationFile = 8,

    /// <summary><c>Sampling:IntervalMs</c> against what the sensors and the commit window can sustain.</summary>
    Sampling = 16,

    /// <summary>
    /// <c>Mqtt:*</c> without the device identity: <c>Device:ThingName</c>, <c>Mqtt:CertFile</c> and <c>Mqtt:KeyFile</c> may be
    /// absent and their files are not opened (<c>provision</c> writes them).
    /// </summary>
    Endpoint = 32,

    /// <summary>Everything: what <c>run</c> needs before the first reading.</summary>
    Run = Slots | Broker | BufferFolder | CalibrationFile | Sampling,
}

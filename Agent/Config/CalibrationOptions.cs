namespace ShelfAgent.Config;

/// <summary><c>Calibration</c>.</summary>
public sealed class CalibrationOptions
{
    /// <summary>
    /// <c>Calibration:Path</c>: the file <c>shelf-agent calibrate</c> writes and the agent reads (tare offset and
    /// span factor per slot). Kept apart from agent.json so re-deploying the configuration never wipes it.
    /// </summary>
    public string Path { get; set; } = "/var/lib/shelf-agent/calibration.json";
}

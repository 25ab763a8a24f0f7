namespace ShelfAgent.Simulator.Scale;

/// <summary>How a fleet's stop went: each host timed from its own stop, as the agent's shutdown timeout counts.</summary>
/// <param name="Devices">Hosts stopped.</param>
/// <param name="AtOnce">How many stopped side by side.</param>
/// <param name="InFlight">Publishes in flight when the stop was said.</param>
/// <param name="QuietSeconds">From the signal until they were acknowledged (or the bound).</param>
/// <param name="Seconds">The hosts' stop, first host to last.</param>
/// <param name="P50Seconds">The median host's stop.</param>
/// <param name="P99Seconds">The 99th percentile host's stop.</param>
/// <param name="SlowestSeconds">The slowest host's stop.</param>
/// <param name="Late">Hosts whose services did not all stop within the agent's shutdown timeout (disposed anyway).</param>
/// <param name="StillRunning">For the late hosts: which of their background services were still running, and in how many.</param>
public sealed record FleetStopResult(
    int Devices, int AtOnce, long InFlight, double QuietSeconds, double Seconds, double P50Seconds, double P99Seconds, double SlowestSeconds,
    int Late, IReadOnlyDictionary<string, int> StillRunning)
{
    /// <summary>One line for the end of a run.</summary>
    public string Summary =>
        $"stop said to every device ({InFlight:N0} publishes in flight, acknowledged in {QuietSeconds:0.0} s); " +
        $"stopped {Devices:N0} hosts in {Seconds:0.0} s ({AtOnce} at a time): each host's stop p50 {P50Seconds:0.00} s, p99 {P99Seconds:0.00} s, " +
        $"slowest {SlowestSeconds:0.00} s; {Late:N0} past the agent's 10 s shutdown timeout" +
        (StillRunning.Count == 0 ? "" : " (still running: " + string.Join(", ", StillRunning.Select(s => $"{s.Key} {s.Value:N0}")) + ")");
}

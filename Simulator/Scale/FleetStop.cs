namespace ShelfAgent.Simulator.Scale;

/// <summary>
/// Stops a fleet in two steps. First one signal to every device at once (<see cref="FleetStopSignal"/>): the publishing
/// loops stop handing over new messages, and the stop waits (bounded) until what was in flight is acknowledged. Then the
/// hosts stop, <see cref="DefaultAtOnce"/> side by side, each with the agent's own 10 s shutdown timeout counted from its
/// own stop (Host.StopAsync starts it; a host waiting for its turn is not stopping yet) and each timed. Without the first
/// step, a host's goodbye (its offline status waits up to 3 s for a PUBACK, its in-flight drain 2 s, its DISCONNECT up to
/// 5 s and the connection's end up to 5 s more) waits at a broker still taking in the readings of every device not yet
/// stopping — the likely reason 175 of 10,000 hosts ran past 10 s in round 4 (PUBACK p50 ~10 s in a minute's burst there).
/// </summary>
public static class FleetStop
{
    /// <summary>Hosts that stop side by side by default (a host's stop waits on the broker, not on the CPU: 32 at a time
    /// took 5 times as long in all and made the slowest host 4 times slower, docs/benchmarks.md).</summary>
    public const int DefaultAtOnce = 256;

    /// <summary>How long the first step waits at most for the fleet's in-flight publishes.</summary>
    public static TimeSpan QuietBound { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Says the stop to every device, waits for the in-flight publishes (bounded), stops every host and says how it went.</summary>
    public static async Task<FleetStopResult> StopAsync(
        IReadOnlyList<VirtualDevice> devices, FleetStopSignal signal, int atOnce, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(atOnce, 1);
        var began = time.GetTimestamp();
        signal.Say();
        var inFlight = signal.InFlight;
        try
        {
            await signal.Quiet.WaitAsync(QuietBound, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Bounded: what is still in flight is cut by its host's own stop, as an agent's would be.
        }

        var quiet = time.GetElapsedTime(began).TotalSeconds;
        var stopping = time.GetTimestamp();
        var took = new double[devices.Count];
        var late = 0;
        var stillRunning = new Dictionary<string, int>();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, devices.Count),
            new ParallelOptions { MaxDegreeOfParallelism = atOnce },
            async (i, _) =>
            {
                var started = time.GetTimestamp();
                var stopped = await devices[i].TryStopAsync().ConfigureAwait(false);
                took[i] = time.GetElapsedTime(started).TotalSeconds;
                if (!stopped)
                {
                    Interlocked.Increment(ref late);
                    var running = devices[i].StillRunning();
                    lock (stillRunning)
                    {
                        foreach (var name in running)
                        {
                            stillRunning[name] = stillRunning.GetValueOrDefault(name) + 1;
                        }
                    }
                }
            }).ConfigureAwait(false);
        Array.Sort(took);
        return new FleetStopResult(
            devices.Count,
            atOnce,
            inFlight,
            quiet,
            time.GetElapsedTime(stopping).TotalSeconds,
            Percentile(took, 0.50),
            Percentile(took, 0.99),
            took.Length == 0 ? 0 : took[^1],
            late,
            stillRunning);
    }

    // Nearest rank on sorted values.
    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

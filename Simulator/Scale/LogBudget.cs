namespace ShelfAgent.Simulator.Scale;

/// <summary>
/// How many warning lines the fleet prints before it only counts them: in a reconnect storm every one of 10,000 devices
/// warns that its connection was lost, and the lines that matter would scroll away. --verbose prints every one.
/// </summary>
public sealed class LogBudget(int lines)
{
    private long _taken;

    /// <summary>Lines not printed.</summary>
    public long Suppressed => Math.Max(0, Interlocked.Read(ref _taken) - lines);

    /// <summary>True while there is room for one more line.</summary>
    public bool TryTake() => Interlocked.Increment(ref _taken) <= lines;
}

using ShelfAgent.Transport;

namespace ShelfAgent.Pipeline;

/// <summary>
/// How long the publishing loop waits after a publish failed because the connection was gone, before it leases again.
/// Without it a transport that still reports connected while MQTTnet already fails every publish ("not connected":
/// the disconnect not yet handled, a stop under way) sends the loop round lease → publish → fail → release as fast
/// as the CPU allows (722,000 failures in one simulated stop). Exponential from <see cref="Min"/> to <see cref="Max"/>
/// with equal jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): never zero, so the loop cannot spin,
/// spread so a fleet does not retry in step. An acknowledged publish starts it again from <see cref="Min"/>. Thread-safe.
/// </summary>
public sealed class PublishRetryPause
{
    /// <summary>The first pause's ceiling: short, as the transport usually notices the end and reconnects within it.</summary>
    public static readonly TimeSpan Min = TimeSpan.FromMilliseconds(250);

    /// <summary>The cap: a connection that comes back is used within this, whatever happened before.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(8);

    private static readonly Backoff Ceilings = new(Min, Max);
    private int _failuresInARow;
    private int _due;

    /// <summary>Failures in a row since the last acknowledged publish.</summary>
    public int FailuresInARow => Volatile.Read(ref _failuresInARow);

    /// <summary>A publish failed because the connection was gone: the loop pauses before its next lease.</summary>
    public void Failed()
    {
        Interlocked.Increment(ref _failuresInARow);
        Volatile.Write(ref _due, 1);
    }

    /// <summary>A publish was acknowledged: the connection works, the next failure pauses briefly again.</summary>
    public void Succeeded() => Volatile.Write(ref _failuresInARow, 0);

    /// <summary>The pause owed since the last call (once per run of failures noted in between), or zero.</summary>
    public TimeSpan Take(double random01)
    {
        if (Interlocked.Exchange(ref _due, 0) == 0)
        {
            return TimeSpan.Zero;
        }

        return Delay(Math.Max(0, FailuresInARow - 1), random01);
    }

    /// <summary>Equal jitter: uniform in [c/2, c) for the ceiling c of <paramref name="attempt"/> (0-based).</summary>
    public static TimeSpan Delay(int attempt, double random01)
    {
        var ceiling = Ceilings.Ceiling(attempt);
        return ceiling / 2 + Ceilings.Delay(attempt, random01) / 2;
    }
}

namespace ShelfAgent.Simulator.Scale;

/// <summary>
/// Faults injected into a run, besides the sensors' own (--fault-probability): the broker restarted, a share of the fleet
/// losing its network for a while, devices with a wrong clock, devices without a real-time clock. Fractions pick devices
/// deterministically (every 1/fraction-th).
/// </summary>
public sealed record FaultPlan
{
    /// <summary>--broker-restart-at: seconds into the run when the simulator's own broker is stopped for --outage-seconds.</summary>
    public double? BrokerRestartAt { get; init; }

    /// <summary>--dropout-fraction (alias --fault-dropout): share of devices whose network drops out (through a <see cref="DropoutRelay"/>).</summary>
    public double DropoutFraction { get; init; }

    /// <summary>--dropout-at: seconds into the run when their network drops.</summary>
    public double DropoutAt { get; init; } = 20;

    /// <summary>--dropout-seconds: how long it stays down.</summary>
    public TimeSpan DropoutDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>--clock-skew-fraction: share of devices whose clock is off by <see cref="ClockSkew"/>.</summary>
    public double ClockSkewFraction { get; init; }

    /// <summary>--clock-skew-seconds.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>--no-rtc-fraction: share of devices whose kernel never says the clock is synchronised (readings time-untrusted).</summary>
    public double NoRtcFraction { get; init; }

    /// <summary>True when device <paramref name="index"/> is one of <paramref name="fraction"/> of the fleet.</summary>
    public static bool Picks(double fraction, int index) =>
        fraction > 0 && Math.Floor((index + 1) * fraction) > Math.Floor(index * fraction);
}

using System.Collections.Concurrent;

namespace ShelfAgent.Simulator.Scale;

/// <summary>
/// What the whole fleet did, counted lock-free by its devices: each device's connection state, connect attempts and
/// successes, publishes and their PUBACK latency, errors by kind. <see cref="FleetSampler"/> turns it into a timeline.
/// </summary>
public sealed class FleetMetrics(int devices)
{
    private readonly int[] _states = new int[devices];
    private readonly long[] _stateCounts = [devices, 0, 0, 0];
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private long _connectAttempts;
    private long _connects;
    private long _messages;
    private long _publishFailures;
    private long _started;
    private long _allConnectedAt;

    /// <summary>PUBACK latency of every QoS 1 publish that was acknowledged.</summary>
    public LatencyHistogram Latency { get; } = new();

    public int Devices => _states.Length;

    public long ConnectAttempts => Interlocked.Read(ref _connectAttempts);

    public long Connects => Interlocked.Read(ref _connects);

    /// <summary>Publishes acknowledged (telemetry batches, events, status, shadow and job messages alike).</summary>
    public long Messages => Interlocked.Read(ref _messages);

    public long PublishFailures => Interlocked.Read(ref _publishFailures);

    /// <summary>Devices in <paramref name="state"/> now.</summary>
    public long Count(DeviceState state) => Interlocked.Read(ref _stateCounts[(int)state]);

    /// <summary>Errors so far by kind (connect-failed, connection-lost, broker-disconnect, publish-failed …).</summary>
    public IReadOnlyDictionary<string, long> Errors => new SortedDictionary<string, long>(_errors, StringComparer.Ordinal);

    /// <summary>Where device <paramref name="device"/> stands now.</summary>
    public DeviceState StateOf(int device) => (DeviceState)Volatile.Read(ref _states[device]);

    public void SetState(int device, DeviceState state)
    {
        var old = Interlocked.Exchange(ref _states[device], (int)state);
        if (old != (int)state)
        {
            Interlocked.Decrement(ref _stateCounts[old]);
            Interlocked.Increment(ref _stateCounts[(int)state]);
        }
    }

    /// <summary>Admitted by the connect rate: the attempt starts now.</summary>
    public void ConnectAttempt(int device)
    {
        Interlocked.Increment(ref _connectAttempts);
        SetState(device, DeviceState.Connecting);
    }

    public void Connected(int device)
    {
        Interlocked.Increment(ref _connects);
        SetState(device, DeviceState.Connected);
        if (Count(DeviceState.Connected) == Devices)
        {
            Interlocked.CompareExchange(ref _allConnectedAt, System.Diagnostics.Stopwatch.GetTimestamp(), 0);
        }
    }

    /// <summary>The devices start now: <see cref="SecondsToAllConnected"/> counts from here.</summary>
    public void Start() => Interlocked.Exchange(ref _started, System.Diagnostics.Stopwatch.GetTimestamp());

    /// <summary>Seconds from <see cref="Start"/> until every device was connected at once for the first time; null: never.</summary>
    public double? SecondsToAllConnected =>
        Interlocked.Read(ref _allConnectedAt) is var at and > 0
            ? System.Diagnostics.Stopwatch.GetElapsedTime(Interlocked.Read(ref _started), at).TotalSeconds
            : null;

    /// <summary>A connect attempt failed or a connection ended: the device backs off.</summary>
    public void Disconnected(int device, string kind)
    {
        Error(kind);
        SetState(device, DeviceState.BackingOff);
    }

    public void Error(string kind, long count = 1) => _errors.AddOrUpdate(kind, count, (_, n) => n + count);

    public void Published(TimeSpan latency)
    {
        Interlocked.Increment(ref _messages);
        Latency.Add(latency);
    }

    public void PublishFailed(string kind)
    {
        Interlocked.Increment(ref _publishFailures);
        Error(kind);
    }
}

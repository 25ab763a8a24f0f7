using System.Diagnostics;

namespace ShelfAgent.Simulator.Scale;

/// <summary>
/// Once a second, a <see cref="TimelinePoint"/> of the fleet: connection states, connect attempts, readings and messages
/// per second over the second, readings buffered (committed, not yet acknowledged), PUBACK latency percentiles of the
/// second. Sums over the devices' counters; nothing is locked.
/// </summary>
public sealed class FleetSampler(FleetMetrics metrics, Func<(long Committed, long Delivered)> readings)
{
    private readonly List<TimelinePoint> _points = [];
    private readonly Lock _sync = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>The points so far (a copy).</summary>
    public IReadOnlyList<TimelinePoint> Points
    {
        get
        {
            lock (_sync)
            {
                return [.. _points];
            }
        }
    }

    /// <summary>The last point, or null before the first second.</summary>
    public TimelinePoint? Last
    {
        get
        {
            lock (_sync)
            {
                return _points.Count == 0 ? null : _points[^1];
            }
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var previous = (Seconds: 0.0, Attempts: 0L, Delivered: 0L, Messages: 0L, Latency: metrics.Latency.Snapshot());
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                previous = Sample(previous);
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }

    private (double, long, long, long, long[]) Sample((double Seconds, long Attempts, long Delivered, long Messages, long[] Latency) previous)
    {
        var now = _clock.Elapsed.TotalSeconds;
        var span = Math.Max(0.001, now - previous.Seconds);
        var (committed, delivered) = readings();
        var attempts = metrics.ConnectAttempts;
        var messages = metrics.Messages;
        var latency = metrics.Latency.Snapshot();
        var point = new TimelinePoint(
            Math.Round(now, 1),
            metrics.Count(DeviceState.Connected),
            metrics.Count(DeviceState.Connecting),
            metrics.Count(DeviceState.BackingOff),
            attempts,
            Math.Round((attempts - previous.Attempts) / span, 1),
            Math.Round((delivered - previous.Delivered) / span, 1),
            Math.Round((messages - previous.Messages) / span, 1),
            Math.Max(0, committed - delivered),
            Round(LatencyHistogram.Percentile(latency, 0.50, previous.Latency)),
            Round(LatencyHistogram.Percentile(latency, 0.95, previous.Latency)),
            Round(LatencyHistogram.Percentile(latency, 0.99, previous.Latency)));
        lock (_sync)
        {
            _points.Add(point);
        }

        return (now, attempts, delivered, messages, latency);
    }

    private static double? Round(double? ms) => ms is { } v ? Math.Round(v, 2) : null;
}

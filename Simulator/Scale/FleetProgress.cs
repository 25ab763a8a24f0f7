using System.Globalization;

namespace ShelfAgent.Simulator.Scale;

/// <summary>
/// What the run shows while it runs: the live dashboard on a terminal, or (--no-dashboard, or output to a pipe or file)
/// a plain line every 10 s with the same figures.
/// </summary>
public static class FleetProgress
{
    public static readonly TimeSpan PlainEvery = TimeSpan.FromSeconds(10);

    public static Task RunAsync(FleetOptions fleet, FleetMetrics metrics, FleetSampler sampler, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        return fleet.Dashboard && !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out)
            ? FleetDashboard.RunAsync(metrics, sampler, cancellationToken)
            : PlainAsync(metrics, sampler, output, cancellationToken);
    }

    /// <summary>"shelf-sim: 30 s: 9,812 connected, 120 connecting, 68 backing off; …" for a point.</summary>
    public static string Line(TimelinePoint p, FleetMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(metrics);
        var errors = metrics.Errors;
        return string.Create(CultureInfo.InvariantCulture,
            $"shelf-sim: {p.Seconds:0} s: {p.Connected:N0} connected, {p.Connecting:N0} connecting, {p.BackingOff:N0} backing off; " +
            $"{p.ReadingsPerSecond:N0} readings/s, {p.MessagesPerSecond:N0} messages/s; PUBACK p50 {Ms(p.P50Ms)} p95 {Ms(p.P95Ms)} p99 {Ms(p.P99Ms)}; " +
            $"buffered {p.ReadingsBuffered:N0}; errors {(errors.Count == 0 ? "none" : string.Join(", ", errors.Select(e => $"{e.Key} {e.Value:N0}")))}");
    }

    public static string Ms(double? ms) => ms is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:0.0} ms") : "–";

    private static async Task PlainAsync(FleetMetrics metrics, FleetSampler sampler, TextWriter output, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(PlainEvery);
        var since = metrics.Latency.Snapshot();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (sampler.Last is not { } last)
                {
                    continue;
                }

                // Rates and percentiles over the whole 10 s (a fleet sampling in step publishes in bursts).
                var window = sampler.Points.Where(p => p.Seconds > last.Seconds - PlainEvery.TotalSeconds).ToList();
                var latency = metrics.Latency.Snapshot();
                var point = last with
                {
                    ReadingsPerSecond = window.Average(p => p.ReadingsPerSecond),
                    MessagesPerSecond = window.Average(p => p.MessagesPerSecond),
                    P50Ms = LatencyHistogram.Percentile(latency, 0.50, since),
                    P95Ms = LatencyHistogram.Percentile(latency, 0.95, since),
                    P99Ms = LatencyHistogram.Percentile(latency, 0.99, since),
                };
                since = latency;
                await output.WriteLineAsync(Line(point, metrics)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }
}

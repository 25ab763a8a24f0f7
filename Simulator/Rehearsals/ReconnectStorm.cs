using System.Diagnostics;
using ShelfAgent.Simulator.Scale;

namespace ShelfAgent.Simulator.Rehearsals;

/// <summary>
/// The broker stopped for --outage-seconds: every device loses its connection, buffers, and comes back with jittered
/// backoff through the fleet's connect rate. Measures the time until the whole fleet is connected again, the most
/// connect attempts in one second (it must stay within --connect-rate), and the time until the backlog drained.
/// </summary>
public static class ReconnectStorm
{
    public static async Task<RehearsalResult> RunAsync(RehearsalContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var devices = context.Devices.Count;
        var bufferedBefore = context.Sampler.Last?.ReadingsBuffered ?? 0;
        var errorsBefore = context.Metrics.Errors;
        context.ConnectRate.TakePeak();
        var clock = Stopwatch.StartNew();
        if (!await context.Broker.StopAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("the reconnect storm needs the simulator's own broker (--broker mosquitto or local-iot-core)");
        }

        await Task.Delay(context.Fleet.Outage, cancellationToken).ConfigureAwait(false);
        await context.Broker.StartAgainAsync(cancellationToken).ConfigureAwait(false);
        var restarted = clock.Elapsed.TotalSeconds;
        var curve = new List<CurvePoint>();
        double? allConnected = null, drained = null;
        long peakBuffered = 0;
        while (clock.Elapsed < context.Fleet.Outage + context.Bound)
        {
            var connected = context.Metrics.Count(DeviceState.Connected);
            curve.Add(new CurvePoint(Math.Round(clock.Elapsed.TotalSeconds, 1), Math.Round(100.0 * connected / Math.Max(1, devices), 2)));
            var last = context.Sampler.Last;
            peakBuffered = Math.Max(peakBuffered, last?.ReadingsBuffered ?? 0);
            if (connected == devices && allConnected is null)
            {
                allConnected = clock.Elapsed.TotalSeconds;
            }

            // Drained: back to what one sampling round leaves buffered before the outage (or less).
            if (allConnected is not null && last is not null && last.ReadingsBuffered <= bufferedBefore + (devices * context.Fleet.SlotsPerDevice))
            {
                drained = clock.Elapsed.TotalSeconds;
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }

        // Counted where the attempts are let through, over every one-second span (not the sampler's coarser seconds).
        var peakRate = context.ConnectRate.TakePeak();
        var errors = context.Metrics.Errors
            .Select(e => (e.Key, Value: e.Value - errorsBefore.GetValueOrDefault(e.Key)))
            .Where(e => e.Value > 0)
            .ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        var figures = new Dictionary<string, double?>(StringComparer.Ordinal)
        {
            ["devices"] = devices,
            ["outage_seconds"] = context.Fleet.Outage.TotalSeconds,
            ["seconds_to_all_connected_after_restart"] = allConnected is { } a ? Math.Round(a - restarted, 1) : null,
            ["seconds_to_backlog_drained_after_restart"] = drained is { } d ? Math.Round(d - restarted, 1) : null,
            ["peak_connect_attempts_in_one_second"] = peakRate,
            ["connect_rate_limit"] = context.Fleet.ConnectRate,
            ["readings_buffered_before"] = bufferedBefore,
            ["readings_buffered_peak"] = peakBuffered,
        };
        var summary = $"reconnect storm: broker down {context.Fleet.Outage.TotalSeconds:0} s; all {devices:N0} devices connected again " +
            $"{RehearsalContext.Seconds(figures["seconds_to_all_connected_after_restart"])} after the restart " +
            $"(peak {peakRate:N0} connect attempts/s, limit {context.Fleet.ConnectRate:N0}/s), " +
            $"backlog of {peakBuffered:N0} readings drained {RehearsalContext.Seconds(figures["seconds_to_backlog_drained_after_restart"])} after it";
        return new RehearsalResult("reconnect-storm", summary, figures, curve, errors);
    }
}

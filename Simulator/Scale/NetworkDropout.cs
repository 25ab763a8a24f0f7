using System.Diagnostics;
using ShelfAgent.Simulator.Rehearsals;

namespace ShelfAgent.Simulator.Scale;

/// <summary>
/// --dropout-fraction: at --dropout-at seconds the network of that share of the fleet drops for --dropout-seconds (the
/// <see cref="DropoutRelay"/> resets their connections and every attempt while down); the rest of the fleet stays
/// connected. Measures the time until every dropped device is connected again once the network is back; they come back
/// through the agent's own reconnect backoff and the fleet's connect rate, and buffer what they sample meanwhile.
/// Written into the report like a rehearsal ("dropout").
/// </summary>
public static class NetworkDropout
{
    /// <summary>The result, or null when the run ended before the drop-out began.</summary>
    public static async Task<RehearsalResult?> RunAsync(
        FleetOptions fleet, DropoutRelay relay, IReadOnlyList<int> dropped, FleetMetrics metrics, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(relay);
        ArgumentNullException.ThrowIfNull(dropped);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(output);
        var outage = fleet.Faults.DropoutDuration;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(fleet.Faults.DropoutAt), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        var errorsBefore = metrics.Errors;
        var connectedBefore = dropped.Count(i => metrics.StateOf(i) == DeviceState.Connected);
        await output.WriteLineAsync(
            $"shelf-sim: fault: network of {dropped.Count:N0} devices ({fleet.Faults.DropoutFraction:P0}) down for {outage.TotalSeconds:0} s")
            .ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var curve = new List<CurvePoint>();
        try
        {
            await relay.DropAsync(outage, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The run ended while the network was down: the relay is up again; report what there is.
        }

        var upAt = clock.Elapsed.TotalSeconds;
        await output.WriteLineAsync("shelf-sim: fault: their network is back").ConfigureAwait(false);
        double? allBack = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var connected = dropped.Count(i => metrics.StateOf(i) == DeviceState.Connected);
            curve.Add(new CurvePoint(Math.Round(clock.Elapsed.TotalSeconds, 1), Math.Round(100.0 * connected / Math.Max(1, dropped.Count), 2)));
            if (connected == dropped.Count)
            {
                allBack = clock.Elapsed.TotalSeconds;
                break;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        var errors = metrics.Errors
            .Select(e => (e.Key, Value: e.Value - errorsBefore.GetValueOrDefault(e.Key)))
            .Where(e => e.Value > 0)
            .ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        var figures = new Dictionary<string, double?>(StringComparer.Ordinal)
        {
            ["devices_dropped"] = dropped.Count,
            ["connected_when_dropped"] = connectedBefore,
            ["dropout_seconds"] = outage.TotalSeconds,
            ["connections_cut"] = relay.Cut,
            ["connects_reset_while_down"] = relay.Refused,
            ["seconds_to_all_reconnected_after_network_back"] = allBack is { } b ? Math.Round(b - upAt, 1) : null,
        };
        var summary = $"dropout: network of {dropped.Count:N0} devices down {outage.TotalSeconds:0} s ({relay.Cut:N0} connections cut, " +
            $"{relay.Refused:N0} attempts reset while down); all connected again " +
            $"{RehearsalContext.Seconds(figures["seconds_to_all_reconnected_after_network_back"])} after it came back";
        await output.WriteLineAsync($"shelf-sim: {summary}").ConfigureAwait(false);
        return new RehearsalResult("dropout", summary, figures, curve, errors);
    }
}

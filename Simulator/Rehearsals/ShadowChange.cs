using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ShelfAgent.Simulator.Rehearsals;

/// <summary>
/// A desired key set in every thing's shadow (UpdateThingShadow, cloud side), then the time until 99 % of the things
/// report it: the devices take the delta, apply it and report, with the agent's own shadow service.
/// </summary>
public static class ShadowChange
{
    public static async Task<RehearsalResult> RunAsync(RehearsalContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var core = context.Broker.Core ?? throw new InvalidOperationException("the shadow change needs --broker local-iot-core");
        // A value no device has yet: the publish interval plus 1.5 s (every device reports its Publish.IntervalMs).
        var value = Math.Max(context.Fleet.PublishMs, 1000) + 1500 + Random.Shared.Next(1, 500);
        var things = context.Devices.Select(d => d.Thing).ToList();
        var clock = Stopwatch.StartNew();
        foreach (var thing in things)
        {
            var desired = new JsonObject { ["Publish"] = new JsonObject { ["IntervalMs"] = value } };
            await core.UpdateDesiredAsync(thing, desired, cancellationToken).ConfigureAwait(false);
        }

        var sent = clock.Elapsed.TotalSeconds;
        var curve = new List<CurvePoint>();
        var reported = 0;
        while (clock.Elapsed < context.Bound)
        {
            reported = things.Count(t => Reported(core.Shadow(t)) == value);
            curve.Add(new CurvePoint(Math.Round(clock.Elapsed.TotalSeconds, 1), Math.Round(100.0 * reported / Math.Max(1, things.Count), 2)));
            if (reported == things.Count)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }

        var figures = RehearsalContext.Milestones(curve, "reported");
        figures["things"] = things.Count;
        figures["seconds_to_send_desired"] = Math.Round(sent, 2);
        figures["reported"] = reported;
        var missing = things.Count - reported;
        var failures = missing == 0
            ? new Dictionary<string, long>(StringComparer.Ordinal)
            : new Dictionary<string, long>(StringComparer.Ordinal) { ["not reported within the bound"] = missing };
        var summary = $"shadow change Publish.IntervalMs={value} on {things.Count:N0} things: 99 % reported it in " +
            $"{RehearsalContext.Seconds(figures["seconds_to_99pct_reported"])}, all in {RehearsalContext.Seconds(figures["seconds_to_100pct_reported"])}";
        return new RehearsalResult("shadow", summary, figures, curve, failures);
    }

    private static int? Reported(JsonObject? shadow) =>
        shadow?["state"]?["reported"]?["Publish"]?["IntervalMs"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
}

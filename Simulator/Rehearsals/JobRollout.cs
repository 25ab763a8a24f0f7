using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ShelfAgent.LocalIot.Jobs;

namespace ShelfAgent.Simulator.Rehearsals;

/// <summary>
/// A job to every thing of the fleet through the local IoT Core (CreateJob per thing, as a rollout's job targets do),
/// then the time until 99 % of the executions SUCCEEDED and the failures by reason. The document is anything
/// (<c>--job-document</c>); the devices answer it with the agent's own jobs client.
/// </summary>
public static class JobRollout
{
    /// <summary>A config-update the agent accepts: publish every 2 s instead of every second.</summary>
    public const string DefaultDocument = """{"operation":"config-update","changes":{"Publish":{"IntervalMs":2000}}}""";

    public static async Task<RehearsalResult> RunAsync(RehearsalContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var core = context.Broker.Core ?? throw new InvalidOperationException("the job rollout needs --broker local-iot-core");
        var document = JsonNode.Parse(context.Fleet.JobDocument)?.AsObject()
            ?? throw new InvalidOperationException("--job-document must be a JSON object");
        var jobId = "rehearsal-" + DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var things = context.Devices.Select(d => d.Thing).ToList();
        var clock = Stopwatch.StartNew();
        foreach (var thing in things)
        {
            await core.CreateJobAsync(thing, jobId, (JsonObject)document.DeepClone(), cancellationToken).ConfigureAwait(false);
        }

        var created = clock.Elapsed.TotalSeconds;
        var curve = new List<CurvePoint>();
        var terminal = 0;
        while (clock.Elapsed < context.Bound)
        {
            var executions = things.Select(t => core.JobExecution(t, jobId)).ToList();
            var succeeded = executions.Count(e => e?.Status == JobExecutionStatus.Succeeded);
            terminal = executions.Count(e => e is { IsTerminal: true });
            curve.Add(new CurvePoint(Math.Round(clock.Elapsed.TotalSeconds, 1), Math.Round(100.0 * succeeded / Math.Max(1, things.Count), 2)));
            if (terminal == things.Count)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }

        var failures = things
            .Select(t => core.JobExecution(t, jobId))
            .Where(e => e is null || e.Status != JobExecutionStatus.Succeeded)
            .GroupBy(Reason, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        var figures = RehearsalContext.Milestones(curve, "succeeded");
        figures["things"] = things.Count;
        figures["seconds_to_create_jobs"] = Math.Round(created, 2);
        figures["succeeded"] = things.Count - failures.Values.Sum();
        figures["not_succeeded"] = failures.Values.Sum();
        var summary = $"job rollout {jobId} to {things.Count:N0} things: " +
            $"99 % SUCCEEDED in {RehearsalContext.Seconds(figures["seconds_to_99pct_succeeded"])}, " +
            $"all in {RehearsalContext.Seconds(figures["seconds_to_100pct_succeeded"])}; " +
            (failures.Count == 0 ? "no failures" : "not succeeded: " + string.Join(", ", failures.Select(f => $"{f.Key} {f.Value:N0}")));
        return new RehearsalResult("job", summary, figures, curve, failures);
    }

    private static string Reason(JobExecution? execution)
    {
        if (execution is null)
        {
            return "no execution";
        }

        var status = JobExecution.Wire(execution.Status);
        var detail = execution.StatusDetails.FirstOrDefault(d => d.Key is "reason" or "error" or "message").Value
            ?? execution.StatusDetails.Values.FirstOrDefault();
        return detail is null ? status : $"{status} ({detail})";
    }
}

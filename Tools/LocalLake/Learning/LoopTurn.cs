using System.Globalization;
using ShelfAgent.Cloud.Governance;
using ShelfAgent.LocalLake.Ingest;
using ShelfAgent.LocalLake.Lake;
using ShelfAgent.LocalLake.Releases;

namespace ShelfAgent.LocalLake.Learning;

/// <summary>How one turn of the loop runs.</summary>
public sealed record LoopSettings
{
    /// <summary>The lake's folder.</summary>
    public required string Lake { get; init; }

    /// <summary>The simulated stores (<c>shelf-sim traces</c>).</summary>
    public required string Traces { get; init; }

    /// <summary>Share of the stores in the canary.</summary>
    public double CanaryShare { get; init; } = 0.5;

    /// <summary>Days the watch waits before deciding (N).</summary>
    public int WatchDays { get; init; } = 3;

    /// <summary>Who trains and proposes (a data scientist).</summary>
    public Actor Proposer { get; init; } = new("data-scientist@demo", ProfileMatrix.DataScientist);

    /// <summary>Who approves (an ML engineer).</summary>
    public Actor Approver { get; init; } = new("ml-engineer@demo", ProfileMatrix.MlEngineer);

    /// <summary>The approver's written reason to ship a release that evaluates worse (recorded); null: such a release is not approved.</summary>
    public string? OverrideReason { get; init; }
}

/// <summary>
/// One turn of the learning loop on one machine (docs/models.md): the traces' last <c>7 + N</c> days are the future;
/// everything before is ingested into the lake (as the devices, on their own learning or the release in service, would
/// have sent it), curated, trained on (release proposed by a data scientist), evaluated on the next week against the
/// release in service, approved by an ML engineer, sent to a canary of the stores, watched for N days and promoted or
/// rolled back.
/// </summary>
public static class LoopTurn
{
    /// <summary>
    /// Runs the turn; every step prints one line. Null when the approval was refused because the release evaluated worse
    /// than the one in service (nothing ships; the proposal and its metrics stay for the record). <paramref name="send"/>,
    /// when given, sends what the canary and the decision send to the devices (<see cref="Delivery"/>).
    /// </summary>
    public static async Task<RolloutRecord?> RunAsync(
        LoopSettings settings, TextWriter output, DateTimeOffset now, Func<ApprovedRelease, Delivery, Task>? send = null)
    {
        if (Approve(settings, output, now) is not { } approved)
        {
            return null;
        }

        var started = StartCanary(approved, settings, output, now);
        if (send is not null)
        {
            await send(approved, Delivery.Canary(started)).ConfigureAwait(false);
        }

        var decided = Watch(approved, settings, output, now);
        if (send is not null && Delivery.After(started, decided, approved.Releases.InService()) is { } after)
        {
            await send(approved, after).ConfigureAwait(false);
        }

        return decided;
    }

    /// <summary>
    /// The turn up to the approval: ingest → curate → train → evaluate → approve, a line per step. Null when the approval
    /// was refused because the release evaluated worse than the one in service.
    /// </summary>
    public static ApprovedRelease? Approve(LoopSettings settings, TextWriter output, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        var devices = DeviceTrace.Find(settings.Traces);
        if (devices.Count == 0)
        {
            throw new InvalidOperationException($"no simulated devices in {settings.Traces} (shelf-sim traces --out {settings.Traces})");
        }

        var (first, last) = Span(devices);
        var end = DateOnly.FromDateTime(last.UtcDateTime).AddDays(-(7 + settings.WatchDays));
        var trainEnd = new DateTimeOffset(end.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        if (trainEnd <= first.AddDays(1))
        {
            throw new InvalidOperationException(
                $"the traces span {first:yyyy-MM-dd} – {last:yyyy-MM-dd}: too short for 1 day of training, " +
                $"a held-out week and {settings.WatchDays} watch days");
        }

        using var lake = LocalLakeStore.Open(settings.Lake);
        var releases = new ReleaseStore(lake.Directory);
        var inService = releases.InService();
        var profiles = inService is null ? null : Evaluation.Profiles(releases, inService);
        var seenStores = new HashSet<string>(StringComparer.Ordinal);
        var ingested = lake.Query("SELECT max(ts) FROM raw_readings").Rows[0][0] is DateTime max
            ? new DateTimeOffset(max, TimeSpan.Zero)
            : first;
        foreach (var device in devices)
        {
            var since = ingested == first ? first : ingested.AddTicks(1);
            var c = TraceIngest.Ingest(lake, device, profiles, since, trainEnd, seenStores.Add(device.Store));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ingest   {device.Thing}: {c.Readings:N0} readings, {c.Events:N0} events/alerts, {c.Forecasts:N0} forecast rows, {c.Sales:N0} sales"));
        }

        Curation.Run(lake, "0000-01-01");
        var id = $"r-{end:yyyyMMdd}-{releases.Ids().Count + 1}";
        var record = ReleaseTraining.Propose(lake, releases, id, end, settings.Proposer, now);
        output.WriteLine($"train    {id} by {settings.Proposer.Name} ({settings.Proposer.Profile}): " +
                         $"{string.Join(", ", record.Sources.Select(s => $"{s.Value} {s.Key}"))} profiles, " +
                         $"trained {record.TrainedFrom:yyyy-MM-dd} – {record.TrainedTo:yyyy-MM-dd}");
        var metrics = Evaluation.Evaluate(releases, record, settings.Traces, inService);
        releases.SaveMetrics(metrics);
        output.WriteLine($"evaluate {id} on {metrics.WeekFrom:yyyy-MM-dd} + 7 days against {inService ?? "the devices' own learning"}: " +
                         $"{Figures(metrics.CandidateTotal)} vs {Figures(metrics.InServiceTotal)}");
        ApprovalRecord approval;
        try
        {
            approval = Approval.Approve(releases, id, settings.Approver, now, settings.OverrideReason);
        }
        catch (WorseReleaseException e)
        {
            output.WriteLine($"approve  {id} refused: {e.Message}");
            return null;
        }

        output.WriteLine($"approve  {id} by {approval.ApprovedBy.Name} ({approval.ApprovedBy.Profile})" +
                         (approval.OverrideReason is { } why ? $", overriding a worse evaluation: \"{why}\"" : ""));
        return new ApprovedRelease(id, releases, devices, trainEnd.AddDays(7));
    }

    /// <summary>The canary of an approved release (<see cref="LoopSettings.CanaryShare"/> of the stores).</summary>
    public static RolloutRecord StartCanary(ApprovedRelease approved, LoopSettings settings, TextWriter output, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(approved);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        var rollout = Rollout.Start(approved.Releases, approved.Id, approved.Devices, settings.CanaryShare, now);
        output.WriteLine($"canary   {approved.Id} on {string.Join(", ", rollout.Canary)}; " +
                         $"{string.Join(", ", rollout.Rest)} keep {rollout.Previous ?? "their own learning"}");
        return rollout;
    }

    /// <summary>The watch over the <see cref="LoopSettings.WatchDays"/> after the held-out week: promoted or rolled back.</summary>
    public static RolloutRecord Watch(ApprovedRelease approved, LoopSettings settings, TextWriter output, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(approved);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        var (decided, verdict) = Rollout.Watch(approved.Releases, approved.Id, approved.Devices, approved.WatchFrom, settings.WatchDays, now);
        var outcome = verdict.Promote ? "promoted to every store" : $"rolled back to {decided.Previous ?? "the devices' own learning"}";
        output.WriteLine($"watch    {approved.Id} after {settings.WatchDays} days: {outcome} — {verdict.Reason}");
        return decided;
    }

    /// <summary>recall@30, strict precision, false alarms per slot-day.</summary>
    public static string Figures(QualityFigures f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return string.Create(CultureInfo.InvariantCulture,
            $"recall@30 {f.Recall30:P0} ({f.Caught}/{f.StockOuts}), precision {f.Precision:P0}, false alarms/slot-day {f.FalseAlarmsPerSlotDay:0.00}");
    }

    private static (DateTimeOffset First, DateTimeOffset Last) Span(IReadOnlyList<DeviceTrace> devices)
    {
        DateTimeOffset? first = null, last = null;
        foreach (var device in devices)
        {
            var lines = File.ReadLines(device.ReadingsPath);
            var head = lines.FirstOrDefault();
            var tail = File.ReadLines(device.ReadingsPath).LastOrDefault();
            foreach (var line in new[] { head, tail })
            {
                if (line is not null && Backtest.ReadingLineParser.Parse(line, 1, out var r, out _) == Backtest.ReadingLineParser.Outcome.Reading)
                {
                    var t = r!.Reading.Timestamp;
                    first = first is null || t < first ? t : first;
                    last = last is null || t > last ? t : last;
                }
            }
        }

        return (first ?? throw new InvalidDataException("no readings"), last!.Value);
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ShelfAgent.LocalLake.Lake;
using ShelfAgent.LocalLake.Learning;
using ShelfAgent.LocalLake.Releases;

namespace ShelfAgent.LocalLake.Cli;

/// <summary>The commands of the learning loop: train, evaluate, approve, releases (docs/models.md).</summary>
public static class LoopCommands
{
    /// <summary>Exit code of a refusal by governance (sysexits EX_NOPERM).</summary>
    public const int NoPermission = 77;

    /// <summary>Exit code of an approval refused because the release evaluated worse (sysexits EX_DATAERR).</summary>
    public const int WorseRelease = 65;

    /// <summary><c>train</c>.</summary>
    public static Command Train(Option<string> lake)
    {
        var end = new Option<string>("--end")
        {
            Description = "train on the 6 weeks before this day (yyyy-MM-dd, UTC); the held-out week starts here",
            Required = true,
        };
        var id = new Option<string?>("--release") { Description = "release id (r-…; default r-<end>-<time>)" };
        var (by, profile) = ActorOptions();
        var command = new Command("train", "train profiles on the lake (shelf, sales, blend) and propose them as a release")
        {
            end, id, by, profile,
        };
        command.SetAction(parse =>
        {
            var day = DateOnly.ParseExact(parse.GetValue(end)!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var now = DateTimeOffset.UtcNow;
            var release = parse.GetValue(id) ?? $"r-{day:yyyyMMdd}-{now:HHmmss}";
            using var store = LocalLakeStore.Open(parse.GetValue(lake)!);
            try
            {
                var actor = new Actor(parse.GetValue(by)!, parse.GetValue(profile)!);
                var record = ReleaseTraining.Propose(store, new ReleaseStore(store.Directory), release, day, actor, now);
                parse.InvocationConfiguration.Output.WriteLine(
                    $"train: release {record.Id} proposed: {string.Join(", ", record.Sources.Select(s => $"{s.Value} {s.Key}"))} profiles, " +
                    $"trained {record.TrainedFrom:yyyy-MM-dd} – {record.TrainedTo:yyyy-MM-dd}");
                return 0;
            }
            catch (UnauthorizedAccessException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"train: refused: {e.Message}");
                return NoPermission;
            }
        });
        return command;
    }

    /// <summary><c>approve</c>.</summary>
    public static Command Approve(Option<string> lake)
    {
        var id = new Option<string>("--release") { Description = "release id", Required = true };
        var (by, profile) = ActorOptions();
        var overrideReason = new Option<string?>("--override-reason")
        {
            Description = "approve a release that evaluates worse than the one in service, for this reason (recorded in approval.json)",
        };
        var command = new Command(
            "approve", "approve an evaluated release for deployment (only the ml-engineer profile may; a worse evaluation needs --override-reason)")
        {
            id, by, profile, overrideReason,
        };
        command.SetAction(parse =>
        {
            var releases = new ReleaseStore(Path.GetFullPath(parse.GetValue(lake)!));
            try
            {
                var actor = new Actor(parse.GetValue(by)!, parse.GetValue(profile)!);
                var a = Approval.Approve(releases, parse.GetValue(id)!, actor, DateTimeOffset.UtcNow, parse.GetValue(overrideReason));
                parse.InvocationConfiguration.Output.WriteLine(
                    $"approve: release {a.Release} approved by {a.ApprovedBy.Name} ({a.ApprovedBy.Profile}) at {a.At:O}; {a.Verdict}" +
                    (a.OverrideReason is { } why ? $"; overridden: \"{why}\"" : ""));
                return 0;
            }
            catch (WorseReleaseException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"approve: refused: {e.Message}");
                return WorseRelease;
            }
            catch (UnauthorizedAccessException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"approve: refused: {e.Message}");
                return NoPermission;
            }
            catch (InvalidOperationException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"approve: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary><c>releases</c>: what a store-operations user may see: each release's state and metrics.</summary>
    public static Command Releases(Option<string> lake)
    {
        var json = new Option<bool>("--json") { Description = "print the records as JSON" };
        var command = new Command("releases", "each release: trained when, sources, evaluation, approval, rollout") { json };
        command.SetAction(parse =>
        {
            var releases = new ReleaseStore(Path.GetFullPath(parse.GetValue(lake)!));
            var output = parse.InvocationConfiguration.Output;
            foreach (var id in releases.Ids())
            {
                var record = releases.Record(id);
                var metrics = releases.Metrics(id);
                var approval = releases.Approval(id);
                var rollout = releases.Rollout(id);
                if (parse.GetValue(json))
                {
                    output.WriteLine(JsonSerializer.Serialize(new { record, metrics, approval, rollout }, ReleaseStore.Json));
                    continue;
                }

                var data = metrics?.Data == EvaluationData.Lake ? "from the lake: " : "";
                var quality = metrics is null ? "not evaluated"
                    : string.Create(CultureInfo.InvariantCulture,
                        $"{data}recall@30 {metrics.CandidateTotal.Recall30:P0} vs {metrics.InServiceTotal.Recall30:P0}, " +
                        $"precision {metrics.CandidateTotal.Precision:P0} vs {metrics.InServiceTotal.Precision:P0}, " +
                        $"false alarms/slot-day {metrics.CandidateTotal.FalseAlarmsPerSlotDay:0.00} vs {metrics.InServiceTotal.FalseAlarmsPerSlotDay:0.00}");
                var approved = approval is null ? "not approved" : $"approved by {approval.ApprovedBy.Name}";
                output.WriteLine($"{id}  trained {record?.TrainedFrom:yyyy-MM-dd}–{record?.TrainedTo:yyyy-MM-dd}  {quality}  " +
                    $"{approved}  {(rollout is null ? "" : rollout.StateName)}");
            }

            return 0;
        });
        return command;
    }

    /// <summary><c>evaluate</c>.</summary>
    public static Command Evaluate(Option<string> lake)
    {
        var id = new Option<string>("--release") { Description = "release id", Required = true };
        var traces = new Option<string?>("--traces")
        {
            Description = "the simulated stores (shelf-sim traces: readings and ground truth) to replay and score against",
        };
        var fromLake = new Option<bool>("--from-lake")
        {
            Description = "replay the held-out week's readings from the lake (curated, else raw) and score against the stock-outs they show " +
                          "(release-health's strict definition): a real store's evaluation, no ground truth needed",
        };
        var inService = new Option<string?>("--against")
        {
            Description = "the release to compare with (default: the one in service; none: the devices' own learning)",
        };
        var command = new Command(
            "evaluate", "backtest a release on its held-out week against the release in service, strict scoring per store (--traces or --from-lake)")
        {
            id, traces, fromLake, inService,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(traces) is not null) == result.GetValue(fromLake))
            {
                result.AddError("evaluate: give either --traces DIR or --from-lake");
            }
        });
        command.SetAction(parse =>
        {
            var releases = new ReleaseStore(Path.GetFullPath(parse.GetValue(lake)!));
            var record = releases.Record(parse.GetValue(id)!);
            if (record is null)
            {
                parse.InvocationConfiguration.Error.WriteLine($"evaluate: no release {parse.GetValue(id)}");
                return 1;
            }

            var asked = parse.GetValue(inService);
            var against = asked is null ? releases.InService() : asked == "none" ? null : asked;
            try
            {
                // metrics.json is written once (the audit trail): a refusal comes before a replay of minutes, not after it.
                if (releases.MakeRoomForEvaluation(record.Id, against) is { } aside)
                {
                    parse.InvocationConfiguration.Output.WriteLine($"evaluate: the evaluation against another release is kept as {aside}");
                }
            }
            catch (InvalidOperationException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"evaluate: {e.Message}");
                return 1;
            }

            EvaluationRecord metrics;
            if (parse.GetValue(traces) is { } tracesDirectory)
            {
                metrics = Evaluation.Evaluate(releases, record, tracesDirectory, against);
            }
            else
            {
                using var store = LocalLakeStore.Open(parse.GetValue(lake)!);
                try
                {
                    metrics = LakeEvaluation.Evaluate(store, releases, record, against);
                }
                catch (InvalidOperationException e)
                {
                    parse.InvocationConfiguration.Error.WriteLine($"evaluate: {e.Message}");
                    return 1;
                }
            }

            releases.SaveMetrics(metrics);
            parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"evaluate: {record.Id} on the week from {metrics.WeekFrom:yyyy-MM-dd} " +
                $"({(metrics.Data == EvaluationData.Lake ? "from the lake" : "traces")}) " +
                $"against {metrics.Against ?? "the devices' own learning"}: " +
                $"recall@30 {metrics.CandidateTotal.Recall30:P1} vs {metrics.InServiceTotal.Recall30:P1}, " +
                $"precision {metrics.CandidateTotal.Precision:P1} vs {metrics.InServiceTotal.Precision:P1}, " +
                $"false alarms/slot-day {metrics.CandidateTotal.FalseAlarmsPerSlotDay:0.000} vs {metrics.InServiceTotal.FalseAlarmsPerSlotDay:0.000}"));
            return 0;
        });
        return command;
    }

    /// <summary>--by (who, recorded) and --as (the profile acted in).</summary>
    internal static (Option<string> By, Option<string> Profile) ActorOptions() =>
        (new Option<string>("--by") { Description = "who acts (recorded)", DefaultValueFactory = _ => Environment.UserName },
         new Option<string>("--as") { Description = "the profile acted in (ProfileMatrix: data-scientist, ml-engineer, …)", Required = true });
}

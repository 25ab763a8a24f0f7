using System.CommandLine;
using ShelfAgent.LocalIot.Control;
using ShelfAgent.LocalLake.Ingest;
using ShelfAgent.LocalLake.Lake;
using ShelfAgent.LocalLake.Learning;
using ShelfAgent.LocalLake.Releases;

namespace ShelfAgent.LocalLake.Cli;

/// <summary>The commands that move a release onto the devices: canary, watch, rollback (by hand), and loop (one whole turn).</summary>
public static class RolloutCommands
{
    /// <summary><c>canary</c>; with <c>--iot-core-state</c>, also published and sent as profiles-update jobs to the canary's things.</summary>
    public static Command Canary(Option<string> lake)
    {
        var id = new Option<string>("--release") { Description = "an approved release", Required = true };
        var traces = new Option<string>("--traces") { Description = "the simulated stores (the devices)", Required = true };
        var share = new Option<double>("--share") { Description = "share of the stores in the canary (0–1]", DefaultValueFactory = _ => 0.5 };
        var delivery = new DeliveryOptions();
        var command = new Command("canary", "send an approved release to a share of the stores; the rest keep the release in service")
        {
            id, traces, share,
        };
        delivery.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(parse, "canary", async () =>
        {
            var directory = Path.GetFullPath(parse.GetValue(lake)!);
            var releases = new ReleaseStore(directory);
            var devices = DeviceTrace.Find(parse.GetValue(traces)!);
            // Checked before the canary is recorded: a canary that could not be sent would refuse a second try.
            var target = delivery.Target(parse);
            var r = Rollout.Start(releases, parse.GetValue(id)!, devices, parse.GetValue(share), DateTimeOffset.UtcNow);
            var said = $"canary: {r.Release} on {string.Join(", ", r.Canary)}; {string.Join(", ", r.Rest)} keep {r.Previous ?? "their own learning"}";
            return said + await SendAsync(directory, releases, target, Delivery.Canary(r), Stores(devices), cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    /// <summary><c>publish</c>: a release's per-store signed files and profiles-update job documents.</summary>
    public static Command Publish(Option<string> lake)
    {
        var id = new Option<string>("--release") { Description = "an approved release", Required = true };
        var baseUrl = new Option<string>("--base-url")
        {
            Description = "where the files will be served (https://…/): each job's url is this + profiles/<release>/<store>.json",
            Required = true,
        };
        var traces = new Option<string?>("--traces") { Description = "the simulated stores: their stores without a profile get a withdrawal file" };
        var output = new Option<string?>("--out") { Description = "the folder to serve (default <lake>/published)" };
        var command = new Command(
            "publish", "write an approved release as devices receive it: a signed shelf.profile.release.v1 file and a profiles-update job per store")
        {
            id, baseUrl, traces, output,
        };
        command.SetAction(parse => Run(parse, "publish", () =>
        {
            var directory = Path.GetFullPath(parse.GetValue(lake)!);
            var releases = new ReleaseStore(directory);
            var release = parse.GetValue(id)!;
            if (releases.Approval(release) is null)
            {
                throw new InvalidOperationException($"release {release} is not approved: only an approved release is published");
            }

            var root = DeliveryOptions.Https(parse.GetValue(baseUrl)!);
            var stores = parse.GetValue(traces) is { } t ? DeviceTrace.Find(t).Select(d => d.Store) : [];
            var folder = parse.GetValue(output) ?? ReleaseDelivery.PublishedFolder(directory);
            using var key = ProfileSigningKey.OpenOrCreate(directory);
            var jobs = ReleaseArtifacts.Publish(releases, release, stores, key, root, folder);
            return $"publish: {release}: {jobs.Count} stores ({string.Join(", ", jobs.Keys)}) in {Path.Combine(folder, "profiles", release)}; " +
                   $"each <store>.job.json is its profiles-update job document; signed with key {key.Id} — put its public key in the " +
                   $"devices' Profiles:TrustedKeys:\n{key.PublicPem}";
        }));
        return command;
    }

    /// <summary>
    /// <c>watch</c>: by replaying the traces (canary vs the same devices on the previous release), or with
    /// <c>--from-lake</c> from the lake's own data (the release-health query, canary vs the rest, as AWS decides); with
    /// <c>--iot-core-state</c>, the decision's jobs go to the devices (promoted: the rest; rolled back: the canary).
    /// </summary>
    public static Command Watch(Option<string> lake)
    {
        var id = new Option<string>("--release") { Description = "a release on its canary", Required = true };
        var traces = new Option<string?>("--traces") { Description = "the simulated stores (the devices); required unless --from-lake" };
        var from = new Option<string?>("--from")
        {
            Description = "first watch day (yyyy-MM-dd, UTC); required unless --from-lake (default there: the day the canary started)",
        };
        var days = new Option<int>("--days") { Description = "watch days (N) before deciding (the replay)", DefaultValueFactory = _ => 3 };
        var fromLake = new Option<bool>("--from-lake")
        {
            Description = "decide from the lake's curated events and forecasts (the cloud's release-health query, canary vs the rest) instead of a replay",
        };
        var delivery = new DeliveryOptions();
        var command = new Command("watch", "compare the canary with the rest (strict figures) and promote the release or roll it back")
        {
            id, traces, from, days, fromLake,
        };
        delivery.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(parse, "watch", async () =>
        {
            var directory = Path.GetFullPath(parse.GetValue(lake)!);
            var releases = new ReleaseStore(directory);
            var release = parse.GetValue(id)!;
            var devices = parse.GetValue(traces) is { } t ? DeviceTrace.Find(t) : null;
            var target = delivery.Target(parse);
            var before = releases.Rollout(release);
            RolloutRecord r;
            WatchVerdict verdict;
            string how;
            IReadOnlyDictionary<string, string> stores;
            if (parse.GetValue(fromLake))
            {
                var started = before?.Started ?? throw new InvalidOperationException($"release {release} has no canary");
                var first = parse.GetValue(from) is { } f ? DateOnly.FromDateTime(LakeCli.Instant(f).UtcDateTime) : DateOnly.FromDateTime(started.UtcDateTime);
                using (var store = LocalLakeStore.Open(directory))
                {
                    stores = ReleaseHealth.StoresOfThings(store);
                    (r, verdict) = Rollout.WatchFromLake(releases, release, ReleaseHealth.Rows(store, first), stores, DateTimeOffset.UtcNow);
                }

                how = $" (from the lake: release-health since {first:yyyy-MM-dd})";
                stores = devices is null ? stores : Stores(devices);
            }
            else
            {
                if (devices is null || parse.GetValue(from) is not { } f)
                {
                    throw new ArgumentException("--traces and --from are required unless --from-lake");
                }

                (r, verdict) = Rollout.Watch(releases, release, devices, LakeCli.Instant(f), parse.GetValue(days), DateTimeOffset.UtcNow);
                how = "";
                stores = Stores(devices);
            }

            var outcome = verdict.Promote ? "promoted" : $"rolled back to {r.Previous ?? "the devices' own learning"}";
            var said = $"watch{how}: {r.Release} {outcome}: {verdict.Reason}";
            return said + await SendAsync(directory, releases, target, Delivery.After(before!, r, releases.InService()), stores, cancellationToken)
                .ConfigureAwait(false);
        }));
        return command;
    }

    /// <summary><c>rollback</c> by hand; with <c>--iot-core-state</c>, the release in service (or the withdrawal) goes to the devices that ran it.</summary>
    public static Command RollBack(Option<string> lake)
    {
        var id = new Option<string>("--release") { Description = "a release on its canary or promoted", Required = true };
        var reason = new Option<string>("--reason") { Description = "why (recorded in rollout.json)", Required = true };
        var traces = new Option<string?>("--traces") { Description = "with --iot-core-state: the simulated stores (each device's store)" };
        var (by, profile) = LoopCommands.ActorOptions();
        var delivery = new DeliveryOptions();
        var command = new Command("rollback", "roll a release back by hand: the release in service becomes the promoted one before it (ml-engineer only)")
        {
            id, reason, by, profile, traces,
        };
        delivery.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(parse, "rollback", async () =>
        {
            var directory = Path.GetFullPath(parse.GetValue(lake)!);
            var releases = new ReleaseStore(directory);
            var target = delivery.Target(parse);
            var devices = target is null
                ? []
                : DeviceTrace.Find(parse.GetValue(traces) ?? throw new ArgumentException("--iot-core-state needs --traces"));
            var before = releases.Rollout(parse.GetValue(id)!);
            var r = Rollout.RollBack(releases, parse.GetValue(id)!, new Actor(parse.GetValue(by)!, parse.GetValue(profile)!),
                parse.GetValue(reason)!, DateTimeOffset.UtcNow);
            var inService = releases.InService();
            var said = $"rollback: {r.Release} rolled back; in service now: {inService ?? "the devices' own learning"}";
            return said + await SendAsync(directory, releases, target, Delivery.After(before!, r, inService), Stores(devices), cancellationToken)
                .ConfigureAwait(false);
        }));
        return command;
    }

    /// <summary><c>loop</c>: one turn on simulated stores; with <c>--iot-core-state</c>, the canary's and the decision's jobs go to the devices.</summary>
    public static Command Loop(Option<string> lake)
    {
        var traces = new Option<string>("--traces") { Description = "the simulated stores (shelf-sim traces)", DefaultValueFactory = _ => ".dev/loop/traces" };
        var share = new Option<double>("--share") { Description = "share of the stores in the canary (0–1]", DefaultValueFactory = _ => 0.5 };
        var days = new Option<int>("--watch-days") { Description = "watch days (N) before promoting or rolling back", DefaultValueFactory = _ => 3 };
        var overrideReason = new Option<string?>("--override-reason")
        {
            Description = "approve the new release even if it evaluates worse than the one in service, for this reason (recorded in approval.json)",
        };
        var delivery = new DeliveryOptions();
        var command = new Command("loop", "one turn: ingest → curate → train → evaluate → approve → canary → watch → promote or roll back")
        {
            traces, share, days, overrideReason,
        };
        delivery.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(parse, "loop", async () =>
        {
            var settings = new LoopSettings
            {
                Lake = parse.GetValue(lake)!,
                Traces = parse.GetValue(traces)!,
                CanaryShare = parse.GetValue(share),
                WatchDays = parse.GetValue(days),
                OverrideReason = parse.GetValue(overrideReason),
            };
            var directory = Path.GetFullPath(settings.Lake);
            var target = delivery.Target(parse);
            var output = parse.InvocationConfiguration.Output;
            var r = await LoopTurn.RunAsync(settings, output, DateTimeOffset.UtcNow, target is null ? null : async (approved, step) =>
            {
                var sent = await SendAsync(directory, approved.Releases, target, step, Stores(approved.Devices), cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync("send     " + sent.TrimStart('\n')).ConfigureAwait(false);
            }).ConfigureAwait(false);
            return r is null
                ? $"loop: the new release evaluated worse and was not approved; nothing shipped; releases in {directory}/releases/"
                : $"loop: {r.Release} {r.StateName}; releases in {directory}/releases/";
        }));
        return command;
    }

    /// <summary>Sends the step's delivery when a target is given; the line to add to the step's output.</summary>
    private static async Task<string> SendAsync(
        string directory, ReleaseStore releases, DeliveryTarget? target, Delivery? delivery, IReadOnlyDictionary<string, string> stores,
        CancellationToken cancellationToken)
    {
        if (target is null || delivery is null)
        {
            return "";
        }

        var created = await ReleaseDelivery.SendAsync(directory, releases, target, delivery, stores, cancellationToken).ConfigureAwait(false);
        return $"\n{ReleaseDelivery.Describe(delivery, created)}; files in {ReleaseDelivery.PublishedFolder(directory)} (served at {target.BaseUrl})";
    }

    /// <summary>Each device's store (thing → store).</summary>
    private static Dictionary<string, string> Stores(IReadOnlyList<DeviceTrace> devices) =>
        devices.ToDictionary(d => d.Thing, d => d.Store, StringComparer.Ordinal);

    private static async Task<int> RunAsync(ParseResult parse, string name, Func<Task<string>> action)
    {
        try
        {
            await parse.InvocationConfiguration.Output.WriteLineAsync(await action().ConfigureAwait(false)).ConfigureAwait(false);
            return 0;
        }
        catch (UnauthorizedAccessException e)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"{name}: refused: {e.Message}").ConfigureAwait(false);
            return LoopCommands.NoPermission;
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or IOException or ArgumentException or CoreNotRunningException
                                      or TimeoutException)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"{name}: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static int Run(ParseResult parse, string name, Func<string> action)
    {
        try
        {
            parse.InvocationConfiguration.Output.WriteLine(action());
            return 0;
        }
        catch (UnauthorizedAccessException e)
        {
            parse.InvocationConfiguration.Error.WriteLine($"{name}: refused: {e.Message}");
            return LoopCommands.NoPermission;
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or IOException or ArgumentException)
        {
            parse.InvocationConfiguration.Error.WriteLine($"{name}: {e.Message}");
            return 1;
        }
    }
}

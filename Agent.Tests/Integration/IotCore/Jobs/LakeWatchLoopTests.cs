using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ShelfAgent.Cloud.Governance;
using ShelfAgent.LocalLake.Cli;
using ShelfAgent.LocalLake.Ingest;
using ShelfAgent.LocalLake.Lake;
using ShelfAgent.LocalLake.Releases;
using ShelfAgent.LocalLake.Serving;
using ShelfAgent.Simulator.Traces;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration.IotCore.Jobs;

/// <summary>
/// The watch from the lake's own data, end to end (issue 24): real agents on the local IoT Core, a release on the canary
/// store's device, <c>local-lake listen</c> filling the raw tables from what they publish, <c>curate</c>, then
/// <c>watch --from-lake</c> (the Cloud's release-health SQL, canary vs the rest) promotes a release no worse than the rest
/// and sends it to the other store's device, and rolls back one whose predicted-empty alarms no stock-out follows (the
/// canary's device gets its withdrawal). The decision's other cases on lake rows are LakeWatchTests' (LocalLake.Tests).
/// </summary>
public sealed class LakeWatchLoopTests(ITestOutputHelper output) : IDisposable
{
    private const string Id = "r-20261207-1";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Listen_fills_the_lake_from_the_agents_and_watch_from_the_lake_promotes_a_release_no_worse_than_the_rest()
    {
        await WatchAsync(picksPerHour: 0.5, weeks: 4, raisesAlarms: false, async (env, promoted) =>
        {
            Assert.True(promoted.State == RolloutState.Promoted, promoted.Reason);
            Assert.Contains("slot-days on cloud:" + Id + " vs the rest", promoted.Reason, StringComparison.Ordinal);
            await LearningLoopTests.JobsSucceedAsync(env, "promote", Id, promoted.Rest);
            await LearningLoopTests.UntilReleaseAsync(env, env.IotCore, promoted.Rest[0], Id);
        });
    }

    [Fact]
    public async Task Watch_from_the_lake_rolls_back_a_release_that_raises_false_alarms_the_rest_does_not()
    {
        // A year of history at 5,000 picks an hour: the canary's device expects its slots empty within minutes and says so
        // (predicted-empty) at once; no stock-out follows within the alerts' horizon (strict false alarms), the rest raises none.
        await WatchAsync(picksPerHour: 5000, weeks: 52, raisesAlarms: true, async (env, rolledBack) =>
        {
            Assert.True(rolledBack.State == RolloutState.RolledBack, rolledBack.Reason);
            Assert.StartsWith("worse: more false alarms", rolledBack.Reason, StringComparison.Ordinal);
            // No release before it: the canary gets its withdrawal and goes back to its own learning.
            await LearningLoopTests.JobsSucceedAsync(env, "rollback", Id, rolledBack.Canary);
            await env.UntilAsync(() => LearningLoopTests.Reported(env.IotCore, rolledBack.Canary[0]) is { } d && d["profiles"] is null,
                $"{rolledBack.Canary[0]} forgets {Id}");
        });
    }

    /// <summary>
    /// Canary of a release of flat shapes (<paramref name="picksPerHour"/>, <paramref name="weeks"/>) on one of two stores
    /// with real agents, listen until the lake holds both devices' forecasts (and, with <paramref name="raisesAlarms"/>, a
    /// predicted-empty alert of the canary), curate, watch --from-lake with the decision's jobs sent; then
    /// <paramref name="decided"/> with the decided rollout, while the agents and the file server still run.
    /// </summary>
    private async Task WatchAsync(double picksPerHour, int weeks, bool raisesAlarms, Func<IntegrationEnvironment, RolloutRecord, Task> decided)
    {
        // Two simulated stores, one device each: only their configurations (slot ids and SKUs) are used here.
        var traces = Path.Combine(_dir.Path, "traces");
        await TraceWriter.RunAsync(new TraceOptions { Stores = 2, SlotsPerDevice = 2, Days = 0.1, SamplingSeconds = 600, Seed = 6 },
            traces, TextWriter.Null, CancellationToken.None);
        var devices = DeviceTrace.Find(traces);
        var lake = Path.Combine(_dir.Path, "lake");
        var releases = new ReleaseStore(lake);
        Approve(releases, devices, picksPerHour, weeks);

        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, output);
        var core = env.IotCore;
        await using var s3 = await ReleaseFileServer.StartAsync(
            ReleaseDelivery.PublishedFolder(lake), 0, Path.Combine(_dir.Path, "https"), CancellationToken.None);
        var state = Directory.CreateDirectory(Path.Combine(_dir.Path, "iot-core")).FullName;
        core.Endpoint().Write(state);
        string[] send = ["--iot-core-state", state, "--base-url", s3.BaseUrl.ToString()];

        // listen, as a person runs it: an observer's certificate of the core, until cancelled.
        var observer = await core.IssueObserverCertificateAsync("local-lake");
        using var stopListen = new CancellationTokenSource();
        var listenLines = new StringWriter(CultureInfo.InvariantCulture);
        // Written by listen's task while the test reads it: the synchronized writer locks on itself, so does Said().
        var listenText = TextWriter.Synchronized(listenLines);
        string Said()
        {
            lock (listenText)
            {
                return listenLines.ToString();
            }
        }

        var listen = LakeCli.Create()
            .Parse(["--lake", lake, "listen", "--broker", $"{core.Host}:{core.Port}", "--ca", core.CaFile, "--cert", observer.CertFile,
                "--key", observer.KeyFile, "--client-id", "local-lake", "--flush-seconds", "1"])
            .InvokeAsync(new InvocationConfiguration { Output = listenText, Error = listenText }, stopListen.Token);

        using var key = ProfileSigningKey.OpenOrCreate(lake);
        var agents = new List<AgentProcess>();
        foreach (var device in devices)
        {
            var agent = await LearningLoopTests.DeviceAsync(env, device, key.PublicPem, forecastMinutes: 1);
            agents.Add(env.StartAgent(agent, new Dictionary<string, string> { ["SSL_CERT_FILE"] = s3.CaFile }));
        }

        var log = new StringWriter(CultureInfo.InvariantCulture);
        log.Write(await LearningLoopTests.LakeAsync(lake, ["canary", "--release", Id, "--traces", traces, "--share", "0.5", .. send]));
        var canary = releases.Rollout(Id)!;
        var canaryThing = Assert.Single(canary.Canary);
        var otherThing = Assert.Single(canary.Rest);
        await LearningLoopTests.JobsSucceedAsync(env, "canary", Id, canary.Canary);
        await LearningLoopTests.UntilReleaseAsync(env, core, canaryThing, Id);

        // Forecasts go out on whole minutes (Stock:ForecastIntervalMinutes 1): the first one after the release applied
        // names it on the canary; the other device's of the same minute name its own learning.
        await env.UntilAsync(
            () => Forecasts(lake, canaryThing, "cloud:" + Id) > 0 && Forecasts(lake, otherThing, null) > 0 && (!raisesAlarms || Alarms(lake, canaryThing) > 0),
            "the lake holds the canary's forecasts on the release and the other's", TimeSpan.FromSeconds(150), Said);
        await stopListen.CancelAsync();
        Assert.Equal(0, await listen);
        Assert.Contains("listen: stopped:", Said(), StringComparison.Ordinal);

        log.Write(await LearningLoopTests.LakeAsync(lake, ["curate"]));
        log.Write(await LearningLoopTests.LakeAsync(lake, ["watch", "--release", Id, "--from-lake", .. send]));
        output.WriteLine(Said());
        output.WriteLine(log.ToString());
        Assert.Contains("watch (from the lake: release-health since", log.ToString(), StringComparison.Ordinal);
        await decided(env, releases.Rollout(Id)!);
        foreach (var agent in agents)
        {
            await agent.StopAsync();
        }
    }

    private static long Alarms(string lake, string thing)
    {
        using var store = LocalLakeStore.Open(lake);
        return (long)QueryResult.Number(store.Query(
            $"SELECT count(*) FROM raw_events WHERE type = 'predicted-empty' AND thing = {LocalLakeStore.Literal(thing)}").Rows[0][0]);
    }

    /// <summary>Raw forecast rows of <paramref name="thing"/> in the lake (naming <paramref name="profile"/> when given).</summary>
    private static long Forecasts(string lake, string thing, string? profile)
    {
        using var store = LocalLakeStore.Open(lake);
        var where = $"thing = {LocalLakeStore.Literal(thing)}" + (profile is null ? "" : $" AND profile = {LocalLakeStore.Literal(profile)}");
        return (long)QueryResult.Number(store.Query($"SELECT count(*) FROM raw_forecasts WHERE {where}").Rows[0][0]);
    }

    /// <summary>A release made by hand (a flat shape per slot), its evaluation recorded as no worse, approved: the watch's subject.</summary>
    private static void Approve(ReleaseStore releases, IReadOnlyList<DeviceTrace> devices, double picksPerHour, int weeks)
    {
        var profiles = new StringBuilder();
        foreach (var device in devices)
        {
            foreach (var slot in JsonNode.Parse(File.ReadAllText(device.ConfigPath))!["Slots"]!.AsArray())
            {
                var line = new JsonObject
                {
                    ["schema"] = "shelf.profile.v1",
                    ["store"] = device.Store,
                    ["thing"] = device.Thing,
                    ["slot"] = (string?)slot!["Id"],
                    ["sku"] = (string?)slot["Sku"],
                    ["generated"] = "2026-12-07T00:00:00Z",
                    ["weeks"] = weeks,
                    ["picksPerHour"] = new JsonArray([.. Enumerable.Repeat(picksPerHour, 168).Select(v => (JsonNode?)JsonValue.Create(v))]),
                    ["source"] = "shelf",
                    ["release"] = Id,
                };
                profiles.Append(line.ToJsonString()).Append('\n');
            }
        }

        var text = profiles.ToString();
        releases.Propose(new ReleaseRecord
        {
            Id = Id,
            Created = DateTimeOffset.UtcNow,
            TrainedFrom = new DateOnly(2026, 10, 5),
            TrainedTo = new DateOnly(2026, 11, 16),
            Sources = new Dictionary<string, int> { ["shelf"] = devices.Count * 2 },
            Rows = new Dictionary<string, long>(),
            CodeVersion = "test",
            ProfilesSha256 = ReleaseStore.Sha256(text),
            ProposedBy = new Actor("dana", ProfileMatrix.DataScientist),
        }, text);
        releases.SaveMetrics(new EvaluationRecord
        {
            Release = Id,
            Against = null,
            WeekFrom = new DateOnly(2026, 11, 16),
            Candidate = new Dictionary<string, QualityFigures>(),
            InService = new Dictionary<string, QualityFigures>(),
        });
        Approval.Approve(releases, Id, new Actor("carol", ProfileMatrix.MlEngineer), DateTimeOffset.UtcNow);
    }
}

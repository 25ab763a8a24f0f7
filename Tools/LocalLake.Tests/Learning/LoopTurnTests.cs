using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ShelfAgent.Cloud.Governance;
using ShelfAgent.LocalLake.Ingest;
using ShelfAgent.LocalLake.Learning;
using ShelfAgent.LocalLake.Releases;

namespace ShelfAgent.LocalLake.Tests.Learning;

/// <summary>
/// The learning loop end to end on one machine (issue 24's proof): simulated stores with POS sales → local lake →
/// train → evaluate → approve → canary → watch; a worse release is rolled back, a release that is not worse promoted.
/// </summary>
public sealed class LoopTurnTests(SimulatedStores stores) : IClassFixture<SimulatedStores>
{
    private static readonly DateTimeOffset Now = new(2026, 10, 20, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Loop_turn_trains_on_shelves_and_sales_evaluates_approves_and_decides_a_canary_of_whole_stores()
    {
        using var lake = new TestLake();
        lake.Store.Dispose();
        var output = new StringWriter(CultureInfo.InvariantCulture);
        var rollout = (await LoopTurn.RunAsync(Settings(lake), output, Now))!;

        var releases = new ReleaseStore(lake.Directory);
        var record = releases.Record(rollout.Release)!;
        Assert.True(record.Rows["curated_sales"] > 0, "the training saw POS sales");
        Assert.True(record.Rows["curated_events_picks"] > 0, "the training saw shelf picks");
        Assert.Equal(12, record.Sources.Values.Sum());
        var metrics = releases.Metrics(rollout.Release)!;
        Assert.Equal(4, metrics.Candidate.Count);
        Assert.Null(metrics.Against);
        var approval = releases.Approval(rollout.Release)!;
        Assert.Equal(new Actor("ml-engineer@demo", ProfileMatrix.MlEngineer), approval.ApprovedBy);
        // The verdict on the held-out week is recorded; a worse one shipped only with the approver's written reason.
        Assert.Equal(approval.Verdict!.StartsWith("worse", StringComparison.Ordinal) ? Override : null, approval.OverrideReason);

        var things = DeviceTrace.Find(stores.Traces).Select(d => d.Thing).Order(StringComparer.Ordinal);
        Assert.Equal(things, rollout.Canary.Concat(rollout.Rest).Order(StringComparer.Ordinal));
        Assert.Equal(2, rollout.Canary.Count);
        Assert.NotEqual(RolloutState.Canary, rollout.State);
        Assert.False(string.IsNullOrEmpty(rollout.Reason));
        var stored = releases.Rollout(rollout.Release)!;
        Assert.Equal((rollout.State, rollout.Reason), (stored.State, stored.Reason));
        Assert.Equal(rollout.Canary, stored.Canary);
        Assert.Contains("watch    " + rollout.Release, output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_rolls_back_a_worse_release_and_promotes_one_that_is_not_worse()
    {
        using var lake = new TestLake();
        lake.Store.Dispose();
        var turn = (await LoopTurn.RunAsync(Settings(lake), TextWriter.Null, Now))!;
        var releases = new ReleaseStore(lake.Directory);
        var inService = releases.InService();
        var devices = DeviceTrace.Find(stores.Traces);
        var trained = File.ReadAllText(releases.ProfilesPath(turn.Release));
        var watchFrom = new DateTimeOffset(releases.Record(turn.Release)!.TrainedTo.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(7);

        // Worse: the trained shapes at 25 times the demand — predicted-empty alarms on every slot, most of them false.
        var worse = Ship(releases, turn.Release, "r-worse", Scaled(trained, 25), devices, watchFrom);
        Assert.Equal(RolloutState.RolledBack, worse.State);
        Assert.StartsWith("worse", worse.Reason, StringComparison.Ordinal);
        Assert.Equal(inService, releases.InService());

        // Not worse: exactly what is in service (the devices' own learning when nothing is: no profiles), as a new release.
        var same = Ship(releases, turn.Release, "r-same", inService is null ? "" : File.ReadAllText(releases.ProfilesPath(inService)), devices, watchFrom);
        Assert.Equal(RolloutState.Promoted, same.State);
        Assert.StartsWith("not worse", same.Reason, StringComparison.Ordinal);
        Assert.Equal("r-same", releases.InService());
    }

    private const string Override = "test: the turn goes on to the canary and the watch whatever the evaluation";

    private LoopSettings Settings(TestLake lake) => new() { Lake = lake.Directory, Traces = stores.Traces, WatchDays = 2, OverrideReason = Override };

    /// <summary>Proposes <paramref name="profiles"/> as <paramref name="id"/> and takes it through evaluate, approve, canary and watch.</summary>
    private RolloutRecord Ship(
        ReleaseStore releases, string trainedId, string id, string profiles, IReadOnlyList<DeviceTrace> devices, DateTimeOffset watchFrom)
    {
        var trained = releases.Record(trainedId)!;
        releases.Propose(trained with { Id = id, ProfilesSha256 = ReleaseStore.Sha256(profiles) }, profiles);
        releases.SaveMetrics(Evaluation.Evaluate(releases, releases.Record(id)!, stores.Traces, releases.InService()));
        // r-worse evaluates worse too: shipping it to see the watch roll it back takes a written override.
        Approval.Approve(releases, id, new Actor("carol", ProfileMatrix.MlEngineer), Now, "test: the watch must roll a worse release back");
        Rollout.Start(releases, id, devices, 0.5, Now);
        return Rollout.Watch(releases, id, devices, watchFrom, 2, Now).Rollout;
    }

    private static string Scaled(string profilesJsonLines, double factor)
    {
        var text = new StringBuilder();
        foreach (var line in profilesJsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var doc = JsonNode.Parse(line)!.AsObject();
            var rates = doc["picksPerHour"]!.AsArray().Select(v => (JsonNode?)JsonValue.Create(v!.GetValue<double>() * factor)).ToArray();
            doc["picksPerHour"] = new JsonArray(rates);
            text.Append(doc.ToJsonString()).Append('\n');
        }

        return text.ToString();
    }
}

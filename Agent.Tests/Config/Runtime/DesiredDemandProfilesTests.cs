using System.Text.Json.Nodes;
using ShelfAgent.Config.Runtime;
using ShelfAgent.Contract;
using ShelfAgent.IotCore.Shadow;
using ShelfAgent.Stock.Forecasting;
using ShelfAgent.Tests.Contract;

namespace ShelfAgent.Tests.Config.Runtime;

public sealed class DesiredDemandProfilesTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static string Slots(int count) => "[" + string.Join(",", Enumerable.Range(1, count).Select(i =>
        $$"""
        { "Id": "A{{i}}", "Sku": "COLA-355", "UnitGrams": 368, "TareGrams": 150, "Capacity": 24, "LowStockAt": 4, "Sensor": { "Type": "Simulated" } }
        """)) + "]";

    private static JsonObject Desired(params (string Slot, JsonNode? Entry)[] entries)
    {
        var profiles = new JsonObject();
        foreach (var (slot, entry) in entries)
        {
            profiles[slot] = entry;
        }

        return new JsonObject { [RemoteConfigKeys.DemandProfiles] = profiles };
    }

    private async Task<RuntimeConfig> OpenAsync(int slots = 1)
    {
        var path = _files.Write(_files.ValidJson(Slots(slots)));
        var (runtime, warnings) = await RuntimeConfig.OpenAsync(path, CancellationToken.None, ConfigFiles.NoEnvironment);
        Assert.Empty(warnings);
        return runtime;
    }

    [Fact]
    public async Task A_desired_profile_is_applied_for_its_slot_ahead_of_the_file_persisted_and_reported_by_hash()
    {
        using var runtime = await OpenAsync();
        ConfigChange? seen = null;
        runtime.Changed += c => seen = c;

        var result = await runtime.ApplyAsync(
            Desired(("A1", DesiredDemandProfile.Encode(DesiredDemandProfileTests.Profile()))),
            ConfigChangeSource.Shadow,
            CancellationToken.None);

        Assert.True(result.AllAccepted, string.Join("; ", result.Refused.Select(r => r.Reason)));
        Assert.Equal(["DemandProfiles:A1"], seen!.Keys);
        var profile = DemandProfile.Match(runtime.Current.Stock.Profiles, "store-0042", "shelf-0042-01", "A1", "COLA-355");
        Assert.Equal(("shelf-0042-01", "A1"), (profile!.Thing, profile.Slot));
        var reported = RemoteConfigKeys.Effective(runtime.Current)[RemoteConfigKeys.DemandProfiles]!["A1"]!;
        Assert.Equal(DesiredDemandProfile.Hash(profile), reported["hash"]!.GetValue<string>());
        Assert.Equal(84, reported["hours"]!.GetValue<int>());

        var saved = JsonNode.Parse(await File.ReadAllTextAsync(runtime.Store.Path))!;
        Assert.Equal("COLA-355", saved["DemandProfiles"]!["A1"]!["sku"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_restart_uses_the_persisted_profile()
    {
        using (var first = await OpenAsync())
        {
            await first.ApplyAsync(
                Desired(("A1", DesiredDemandProfile.Encode(DesiredDemandProfileTests.Profile()))),
                ConfigChangeSource.Shadow,
                CancellationToken.None);
        }

        using var second = await OpenAsync();
        Assert.True(second.Current.Stock.RemoteProfiles.ContainsKey("A1"));
    }

    [Fact]
    public async Task An_empty_string_removes_the_slots_desired_profile()
    {
        using var runtime = await OpenAsync();
        await runtime.ApplyAsync(
            Desired(("A1", DesiredDemandProfile.Encode(DesiredDemandProfileTests.Profile()))),
            ConfigChangeSource.Shadow,
            CancellationToken.None);

        var result = await runtime.ApplyAsync(Desired(("A1", "")), ConfigChangeSource.Shadow, CancellationToken.None);

        Assert.True(result.AllAccepted);
        Assert.Empty(runtime.Current.Stock.RemoteProfiles);
        Assert.Null(RemoteConfigKeys.Effective(runtime.Current)[RemoteConfigKeys.DemandProfiles]!["A1"]);
    }

    [Fact]
    public async Task An_invalid_profile_is_refused_with_its_key_and_the_parsers_reason_and_nothing_changes()
    {
        using var runtime = await OpenAsync();
        var noSku = DesiredDemandProfile.Encode(DesiredDemandProfileTests.Profile());
        noSku.Remove("sku");

        var result = await runtime.ApplyAsync(
            Desired(("A1", noSku), ("B9", DesiredDemandProfile.Encode(DesiredDemandProfileTests.Profile()))),
            ConfigChangeSource.Shadow,
            CancellationToken.None);

        Assert.Contains(result.Refused, r => r.Key == "DemandProfiles:A1" && r.Reason!.StartsWith("store and sku are required", StringComparison.Ordinal));
        Assert.Contains(result.Refused, r => r.Key == "DemandProfiles:B9" && r.Reason!.Contains("no slot with Id", StringComparison.Ordinal));
        Assert.Empty(runtime.Current.Stock.RemoteProfiles);
        Assert.False(File.Exists(runtime.Store.Path));
    }

    [Fact]
    public async Task A_profile_for_another_sku_than_the_slots_is_refused()
    {
        using var runtime = await OpenAsync();
        var result = await runtime.ApplyAsync(
            Desired(("A1", DesiredDemandProfile.Encode(DesiredDemandProfileTests.Profile("WATER-500")))),
            ConfigChangeSource.Shadow,
            CancellationToken.None);
        Assert.Contains("is for sku \"WATER-500\"", Assert.Single(result.Refused).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nine_slots_take_a_desired_profile_and_a_tenth_is_refused_naming_the_shadow_limit()
    {
        using var runtime = await OpenAsync(slots: 10);
        var entry = DesiredDemandProfile.Encode(DesiredDemandProfileTests.Profile());
        var nine = await runtime.ApplyAsync(
            Desired([.. Enumerable.Range(1, 9).Select(i => ($"A{i}", (JsonNode?)entry.DeepClone()))]),
            ConfigChangeSource.Shadow,
            CancellationToken.None);
        Assert.True(nine.AllAccepted, string.Join("; ", nine.Refused.Select(r => r.Reason)));

        var tenth = await runtime.ApplyAsync(Desired(("A10", entry.DeepClone())), ConfigChangeSource.Shadow, CancellationToken.None);

        var refused = Assert.Single(tenth.Refused);
        Assert.Equal("DemandProfiles:A10", refused.Key);
        Assert.True(refused.Reason!.StartsWith("the desired", StringComparison.Ordinal), refused.Reason);
        Assert.StartsWith(
            $"the desired demand profiles would take 5330 bytes, over the {DesiredDemandProfile.MaxTotalBytes} bytes the shadow's 8 KB document",
            refused.Reason,
            StringComparison.Ordinal);
        Assert.Equal(9, runtime.Current.Stock.RemoteProfiles.Count);
    }

    [Fact]
    public async Task Nine_desired_profiles_fit_in_the_shadow_beside_the_report_without_per_slot_detail()
    {
        using var runtime = await OpenAsync(slots: 9);
        var entry = DesiredDemandProfile.Encode(DesiredDemandProfileTests.Profile());
        var desired = Desired([.. Enumerable.Range(1, 9).Select(i => ($"A{i}", (JsonNode?)entry.DeepClone()))]);
        await runtime.ApplyAsync(desired, ConfigChangeSource.Shadow, CancellationToken.None);
        var refused = Enumerable.Range(0, 3)
            .Select(i => new ConfigKeyResult($"Slots:A{i}:LowStockAt", false, "would make Slots:A1:LowStockAt invalid: must not exceed Capacity (24)"))
            .ToList();
        var report = new ShadowReport(
            RemoteConfigKeys.Effective(runtime.Current),
            "0.1.0",
            runtime.Current.EffectiveHash,
            "x",
            refused,
            [],
            new BufferReport(100000, 86400, 123456),
            DateTimeOffset.UnixEpoch,
            ClockTrusted: true);

        var reported = ShadowReportEncoder.EncodeReported(report).Length;
        Assert.InRange(reported, 1000, 2048);

        Assert.True(ShadowLimits.Fits(reported, DesiredDemandProfile.Text(desired).Length), $"{reported} + {DesiredDemandProfile.Text(desired).Length}");
    }
}

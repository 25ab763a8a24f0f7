using System.Collections;
using System.Text.Json.Nodes;
using ShelfAgent.Config;
using ShelfAgent.Config.Runtime;

namespace ShelfAgent.Tests.Config.Runtime;

public sealed class RuntimeConfigTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static JsonObject Json(string json) => (JsonObject)JsonNode.Parse(json)!;

    [Fact]
    public async Task Valid_keys_are_applied_persisted_and_announced_invalid_ones_refused_with_the_agent_json_reason()
    {
        var path = _files.Write(_files.ValidJson());
        var (runtime, _) = await RuntimeConfig.OpenAsync(path, CancellationToken.None, ConfigFiles.NoEnvironment);
        using var _r = runtime;
        ConfigChange? seen = null;
        runtime.Changed += c => seen = c;

        var result = await runtime.ApplyAsync(
            Json("""{"Sampling":{"IntervalMs":750},"Publish":{"IntervalMs":0},"Slots":{"A1":{"LowStockAt":6}}}"""),
            ConfigChangeSource.Shadow,
            CancellationToken.None);

        Assert.Equal(750, runtime.Current.Sampling.IntervalMs);
        Assert.Equal(6, runtime.Current.Slots[0].LowStockAt);
        Assert.Equal(1000, runtime.Current.Publish.IntervalMs);
        var refused = Assert.Single(result.Refused);
        Assert.Equal("Publish:IntervalMs", refused.Key);
        Assert.StartsWith("must be from 10 to 3600000", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(["Sampling:IntervalMs", "Slots:A1:LowStockAt"], seen!.Keys);
        Assert.StartsWith("Publish:IntervalMs: must be from 10", runtime.LastError, StringComparison.Ordinal);
        Assert.Equal(runtime.Current.EffectiveHash, result.ConfigHash);

        var saved = Json(await File.ReadAllTextAsync(runtime.Store.Path));
        Assert.Equal("750", saved["Sampling"]!["IntervalMs"]!.GetValue<string>());
        Assert.Equal("6", saved["Slots"]!["A1"]!["LowStockAt"]!.GetValue<string>());
        Assert.Null(saved["Publish"]);
    }

    [Fact]
    public async Task A_restart_uses_the_persisted_changes_and_the_hash_differs_from_agent_json_alone()
    {
        var path = _files.Write(_files.ValidJson());
        var (first, _) = await RuntimeConfig.OpenAsync(path, CancellationToken.None, ConfigFiles.NoEnvironment);
        var fileHash = first.Current.EffectiveHash;
        await first.ApplyAsync(Json("""{"Sampling":{"IntervalMs":900}}"""), ConfigChangeSource.Job, CancellationToken.None);
        first.Dispose();

        var (second, warnings) = await RuntimeConfig.OpenAsync(path, CancellationToken.None, ConfigFiles.NoEnvironment);
        using var _s = second;
        Assert.Empty(warnings);
        Assert.Equal(900, second.Current.Sampling.IntervalMs);
        Assert.NotEqual(fileHash, second.Current.EffectiveHash);
    }

    [Fact]
    public async Task A_persisted_key_agent_json_no_longer_allows_is_dropped_with_a_warning_not_a_refusal_to_start()
    {
        var path = _files.Write(_files.ValidJson());
        var (first, _) = await RuntimeConfig.OpenAsync(path, CancellationToken.None, ConfigFiles.NoEnvironment);
        await first.ApplyAsync(Json("""{"Slots":{"A1":{"LowStockAt":20}}}"""), ConfigChangeSource.Shadow, CancellationToken.None);
        first.Dispose();
        _files.Write(_files.ValidJson().Replace("\"Capacity\": 24", "\"Capacity\": 10", StringComparison.Ordinal));

        var (second, warnings) = await RuntimeConfig.OpenAsync(path, CancellationToken.None, ConfigFiles.NoEnvironment);
        using var _s = second;
        Assert.Equal(4, second.Current.Slots[0].LowStockAt);
        Assert.Contains(warnings, w => w.Contains("Slots:A1:LowStockAt", StringComparison.Ordinal) && w.Contains("dropped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_interval_is_judged_against_the_shelf_as_agent_json_is()
    {
        var path = _files.Write(_files.ValidJson());
        var (runtime, _) = await RuntimeConfig.OpenAsync(path, CancellationToken.None, ConfigFiles.NoEnvironment);
        using var _r = runtime;
        var result = await runtime.ApplyAsync(Json("""{"Sampling":{"IntervalMs":1}}"""), ConfigChangeSource.Shadow, CancellationToken.None);
        var direct = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(
            _files.Write(_files.ValidJson().Replace("\"IntervalMs\": 500", "\"IntervalMs\": 1", StringComparison.Ordinal), "direct.json"),
            out _,
            ConfigFiles.NoEnvironment));
        Assert.Equal(direct.Problems.Single(p => p.Key == "Sampling:IntervalMs").Message, Assert.Single(result.Refused).Reason);
    }

    [Fact]
    public async Task A_key_overridden_by_the_environment_is_refused()
    {
        var path = _files.Write(_files.ValidJson());
        IDictionary env = new Hashtable { ["SHELFAGENT_Publish__IntervalMs"] = "2000" };
        var (runtime, _) = await RuntimeConfig.OpenAsync(path, CancellationToken.None, env);
        using var _r = runtime;
        var result = await runtime.ApplyAsync(Json("""{"Publish":{"IntervalMs":3000}}"""), ConfigChangeSource.Shadow, CancellationToken.None);
        Assert.Contains("SHELFAGENT_Publish__IntervalMs", Assert.Single(result.Refused).Reason, StringComparison.Ordinal);
        Assert.Equal(2000, runtime.Current.Publish.IntervalMs);
    }
}

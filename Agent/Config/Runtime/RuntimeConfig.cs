using System.Collections;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ShelfAgent.Storage;

namespace ShelfAgent.Config.Runtime;

/// <summary>
/// The configuration the running agent uses: agent.json, with the remotely accepted changes laid over it and the
/// environment over both. Implements <see cref="IConfigApplier"/> for the shadow and for <c>config-update</c> jobs:
/// a change is judged by <see cref="AgentConfigLoader.LoadLayered"/> (the rules agent.json gets), the accepted keys are
/// persisted in <see cref="DesiredConfigStore"/> and announced by <see cref="Changed"/>; the composition root passes
/// them on to the services, which take them without a restart.
/// </summary>
public sealed partial class RuntimeConfig : IConfigApplier, IDisposable
{
    private readonly string _path;
    private readonly IDictionary _environment;
    private readonly ConfigUse _use;
    private readonly DesiredConfigStore _store;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, ConfigPatchEntry> _accepted = new(StringComparer.OrdinalIgnoreCase);
    private IReadOnlyDictionary<string, string> _overlay = new Dictionary<string, string>();
    private AgentOptions _current;

    private RuntimeConfig(string path, IDictionary environment, ConfigUse use, AgentOptions fileOnly, DesiredConfigStore store)
    {
        _path = path;
        _environment = environment;
        _use = use;
        _current = fileOnly;
        _store = store;
    }

    /// <summary>Where applied and refused changes are logged; set once logging is configured (it depends on agent.json).</summary>
    public ILogger Logger { get; set; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>Raised after accepted keys took effect (from the applying caller's thread; handlers must not block).</summary>
    public event Action<ConfigChange>? Changed;

    /// <summary>The options in effect.</summary>
    public AgentOptions Current => Volatile.Read(ref _current);

    /// <summary>The last refusal, <c>key: reason</c> (reported in the shadow as <c>lastConfigError</c>); null after a fully accepted change.</summary>
    public string? LastError { get; private set; }

    /// <summary>The accepted keys (display form) and their values.</summary>
    public IReadOnlyCollection<ConfigPatchEntry> Accepted => _accepted.Values;

    /// <summary>The store of accepted keys.</summary>
    public DesiredConfigStore Store => _store;

    /// <summary>
    /// Reads agent.json (a problem in the file itself throws <see cref="ConfigException"/>, exit 78 as before), then lays
    /// the persisted accepted changes over it. A persisted key that agent.json no longer allows (edited since) is dropped
    /// with a warning, never a refusal to start.
    /// </summary>
    public static async Task<(RuntimeConfig Config, IReadOnlyList<string> Warnings)> OpenAsync(
        string path, CancellationToken cancellationToken, IDictionary? environment = null, ConfigUse use = ConfigUse.Run)
    {
        var env = environment ?? Environment.GetEnvironmentVariables();
        var fileOnly = AgentConfigLoader.Load(path, out var warnings, env, use);
        var store = DesiredConfigStore.Beside(fileOnly.Buffer.Path);
        var config = new RuntimeConfig(path, env, use, fileOnly, store);
        var (persisted, problem) = await store.LoadAsync(cancellationToken).ConfigureAwait(false);
        var all = problem is null ? warnings : [.. warnings, problem];
        if (persisted.Count > 0)
        {
            var result = await config.ApplyAsync(persisted, ConfigChangeSource.Persisted, cancellationToken).ConfigureAwait(false);
            all = [.. all, .. result.Refused.Select(r => $"{store.Path}: {r.Key}: {r.Reason}; dropped, agent.json's value is used")];
        }

        return (config, all);
    }

    /// <inheritdoc />
    public async Task<ConfigApplyResult> ApplyAsync(JsonObject changes, ConfigChangeSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var previous = Current;
            var (entries, refusedEarly) = ConfigPatch.Parse(changes, previous.Slots.Select(s => s.Id).ToList());
            AgentOptions? candidate = null;
            var judgement = ConfigJudge.Judge(_overlay, entries, AgentConfigLoader.EnvironmentKeys(_environment), overlay =>
            {
                var layered = AgentConfigLoader.LoadLayered(_path, overlay, _environment, _use);
                candidate = layered.Options;
                return layered.Problems;
            });

            var results = new List<ConfigKeyResult>();
            var refused = refusedEarly.Concat(judgement.Refused).ToList();
            foreach (var entry in entries)
            {
                results.Add(refused.FirstOrDefault(r => r.Key == entry.Key) ?? new ConfigKeyResult(entry.Key, true));
            }

            results.AddRange(refusedEarly);
            var changedKeys = judgement.Accepted.Select(e => e.Key).ToList();
            if (judgement.Accepted.Count > 0 && candidate is not null)
            {
                foreach (var e in judgement.Accepted)
                {
                    if (e.Value is null)
                    {
                        _accepted.Remove(e.Key);
                    }
                    else
                    {
                        _accepted[e.Key] = e;
                    }
                }

                _overlay = judgement.Overlay;
                Volatile.Write(ref _current, candidate);
                var keys = string.Join(", ", changedKeys);
                LogApplied(Logger, source, keys, candidate.EffectiveHash);
                Changed?.Invoke(new ConfigChange(previous, candidate, changedKeys));
            }

            if (source == ConfigChangeSource.Job && judgement.Accepted.Count > 0)
            {
                await MergeIntoAgentJsonAsync(judgement.Accepted, cancellationToken).ConfigureAwait(false);
            }

            // Re-applied at start, the file is rewritten only when a key of it had to be dropped.
            if (source == ConfigChangeSource.Persisted ? refused.Count > 0 : judgement.Accepted.Count > 0)
            {
                await SaveAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var r in refused)
            {
                LogRefused(Logger, source, r.Key, r.Reason ?? "");
            }

            LastError = refused.Count == 0 ? null : string.Join("; ", refused.Select(r => $"{r.Key}: {r.Reason}"));
            return new ConfigApplyResult(results, Current.EffectiveHash);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    /// <summary>
    /// A config-update job's accepted keys are merged into agent.json itself (docs/jobs.md), atomically and keeping
    /// its mode and owner, so a technician reading the file sees what the device runs with. They also stay in the
    /// persisted desired state, like a shadow change. A key put back (null) is not removed from the file: the file's
    /// value is what it goes back to. Demand profiles are desired state only (no agent.json key), so they are not merged.
    /// </summary>
    private async Task MergeIntoAgentJsonAsync(IReadOnlyList<ConfigPatchEntry> accepted, CancellationToken cancellationToken)
    {
        var values = accepted
            .Where(e => e.Value is not null && !e.FlatKey.StartsWith(DemandProfilesPrefix, StringComparison.OrdinalIgnoreCase))
            .Select(e => new KeyValuePair<string, string>(e.FlatKey, e.Value!))
            .ToList();
        if (values.Count == 0)
        {
            return;
        }

        try
        {
            var text = await File.ReadAllTextAsync(_path, cancellationToken).ConfigureAwait(false);
            var merged = AgentJsonPatch.Apply(text, values);
            await DurableFile.WriteAsync(
                _path,
                System.Text.Encoding.UTF8.GetBytes(merged),
                DurableFile.ModeOf(_path, DurableFile.GroupReadable),
                cancellationToken).ConfigureAwait(false);
            var keys = string.Join(", ", values.Select(v => v.Key));
            LogMerged(Logger, _path, keys);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            // In effect and persisted as desired state; only the file does not show it.
            LogMergeFailed(Logger, _path, e);
        }
    }

    private const string DemandProfilesPrefix = RemoteConfigKeys.DemandProfiles + ":";

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "Configuration from a job merged into {Path}: {Keys}")]
    private static partial void LogMerged(ILogger logger, string path, string keys);

    [LoggerMessage(
        EventId = 5005,
        Level = LogLevel.Warning,
        Message = "Could not merge the job's configuration into {Path}; it is in effect and kept as desired state")]
    private static partial void LogMergeFailed(ILogger logger, string path, Exception exception);

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _store.SaveAsync(_accepted.Values, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // In effect now, lost at the next restart unless the shadow's get sends it again (it does on connect).
            LogSaveFailed(Logger, _store.Path, e);
        }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Configuration from {Source} applied: {Keys} (configuration hash {ConfigHash})")]
    private static partial void LogApplied(ILogger logger, ConfigChangeSource source, string keys, string configHash);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Configuration from {Source} refused: {Key}: {Reason}")]
    private static partial void LogRefused(ILogger logger, ConfigChangeSource source, string key, string reason);

    [LoggerMessage(
        EventId = 5003,
        Level = LogLevel.Warning,
        Message = "Could not persist the accepted configuration to {Path}; it is in effect until the agent restarts")]
    private static partial void LogSaveFailed(ILogger logger, string path, Exception exception);
}

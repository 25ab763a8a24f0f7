using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ShelfAgent.Artifacts;
using ShelfAgent.Config;
using ShelfAgent.Contract;
using ShelfAgent.Pipeline;
using ShelfAgent.Transport;
using ShelfAgent.Update;

namespace ShelfAgent.Composition;

/// <summary>
/// <c>agent-update</c>'s parts (docs/jobs.md): the guard that puts a new version on trial at every start (with or
/// without a broker) and the job operation, which <see cref="JobsComposition"/> offers when it is registered here.
/// </summary>
public static class UpdateComposition
{
    /// <summary>The version the agent takes itself for in agent-update, when set (the kill tests' second release).</summary>
    public const string TestVersionVariable = "SHELF_AGENT_TEST_VERSION";

    /// <summary>The update folder: <c>Update:DownloadPath</c>, or <c>updates/</c> beside the buffer.</summary>
    public static string Folder(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Update.DownloadPath
            ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.Buffer.Path)) ?? ".", "updates");
    }

    /// <summary>This agent's version for agent-update (<paramref name="standIn"/>, else SHELF_AGENT_TEST_VERSION, else the build's).</summary>
    public static string RunningVersion(string? standIn = null) =>
        standIn ?? Environment.GetEnvironmentVariable(TestVersionVariable) ?? AgentVersion.Current;

    /// <summary>
    /// Before the outbox opens: after a rollback to this version, a buffer in a newer outbox schema is moved aside (kept)
    /// and the rollback's reason says so (<see cref="RolledBackBuffer"/>). The note, or null.
    /// </summary>
    public static Task<string?> SetAsideUnreadableBufferAsync(AgentOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        return RolledBackBuffer.SetAsideIfUnreadableAsync(
            new UpdateRecordFile(Folder(options)), options.Buffer.Path, RunningVersion(), time.GetUtcNow(), cancellationToken);
    }

    /// <summary>Registers the guard and the operation.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="options">The agent's options.</param>
    /// <param name="time">Clock.</param>
    /// <param name="downloads">The HTTPS handler for downloads (the system's trust store unless a test passes one).</param>
    /// <param name="runningVersion">This agent's version; <see cref="AgentVersion.Current"/> unless a test stands in for another release.</param>
    public static void AddUpdate(
        IServiceCollection services, AgentOptions options, TimeProvider time, HttpMessageHandler? downloads = null, string? runningVersion = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        // SHELF_AGENT_TEST_VERSION / SHELF_AGENT_TEST_PAUSE: only the kill tests set them, to run this one build as two
        // releases and to stop it between two steps of the switch (UpdatePausePoint); never set in the field.
        var version = RunningVersion(runningVersion);
        var pauseAt = Environment.GetEnvironmentVariable(UpdatePausePoint.Variable);
        var records = new UpdateRecordFile(Folder(options));
        var releases = new ReleaseStore(options.Update.InstallPath);
        services.AddSingleton<UpdateTrial>();
        services.AddHostedService(sp =>
        {
            var progress = sp.GetRequiredService<PipelineProgress>();
            var transport = sp.GetRequiredService<MqttTransport>();
            var lifetime = sp.GetRequiredService<IHostApplicationLifetime>();
            return new UpdateGuardService(
                records,
                releases,
                version,
                TimeSpan.FromSeconds(options.Update.HealthWindowSeconds),
                () => new HealthSample(progress.Acknowledgements > 0, transport.IsConnected, progress.FirstStall),
                sp.GetRequiredService<UpdateTrial>(),
                lifetime.StopApplication,
                time,
                sp.GetRequiredService<ILogger<UpdateGuardService>>(),
                Pause(sp));
        });
        services.AddSingleton(sp =>
        {
            // Owned by the container: disposed with the host. A release archive is 10–20 MB: minutes on a slow link.
            var http = new HttpClient(downloads ?? new SocketsHttpHandler(), disposeHandler: true) { Timeout = TimeSpan.FromMinutes(10) };
            var keys = options.Update.Keys();
            var fetcher = new ArtifactFetcher(new ArtifactDownloader(http, time), keys, records.Directory, options.Update.MaxDownloadBytes);
            return new UpdateOperationHolder(
                new AgentUpdateOperation(fetcher, releases, records, version, sp.GetRequiredService<UpdateTrial>(), keys.Ids.Count > 0, Pause(sp)),
                http);
        });

        UpdatePausePoint? Pause(IServiceProvider sp) =>
            pauseAt is null ? null : new UpdatePausePoint(pauseAt, sp.GetRequiredService<ILoggerFactory>().CreateLogger<UpdatePausePoint>());
    }

    /// <summary>The operation and the HTTP client it downloads with (disposed together).</summary>
    internal sealed class UpdateOperationHolder(AgentUpdateOperation operation, HttpClient http) : IDisposable
    {
        public AgentUpdateOperation Operation => operation;

        public void Dispose() => http.Dispose();
    }
}

using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Extensions.Logging;
using ShelfAgent.Composition;
using ShelfAgent.Contract;
using ShelfAgent.Diagnostics;
using ILogger = Microsoft.Extensions.Logging.ILogger;

namespace ShelfAgent.Cli;

/// <summary><c>shelf-agent run</c>: the service itself (what the systemd unit starts).</summary>
public static partial class RunCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var config = CliOptions.Config();
        var command = new Command("run", "Sample the shelf, buffer every reading and publish it to the broker until stopped (SIGTERM/Ctrl-C)")
        {
            config,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // agent.json, then the remotely accepted changes persisted beside the buffer (a device booting offline runs
            // with the last accepted desired state; docs/shadow.md).
            var (runtime, warnings) = await ConfigLoading.TryOpenRuntimeAsync(parse.GetValue(config)!, parse.InvocationConfiguration.Error, cancellationToken)
                .ConfigureAwait(false);
            if (runtime is null)
            {
                return ExitCodes.Config;
            }

            using var disposeRuntime = runtime;
            var options = runtime.Current;

            var recentLog = new RecentLogLines();
            await using var serilog = LogSetup.Create(options.Logging, options.Device.ThingName, out var logFileProblem, recentLog);
            // The logger outlives the host (declared first, disposed last) so the host's stop is logged and flushed.
            using var startLoggers = new SerilogLoggerFactory(serilog);
            var log = startLoggers.CreateLogger("ShelfAgent");
            runtime.Logger = startLoggers.CreateLogger<Config.Runtime.RuntimeConfig>();
            foreach (var warning in logFileProblem is null ? warnings : [.. warnings, $"{options.SourceFile}: {logFileProblem}"])
            {
#pragma warning disable CA1848, CA2254 // start-up only
                log.LogWarning(warning);
#pragma warning restore CA1848, CA2254
            }

            // The report-diagnostics upload: HTTPS to a pre-signed URL, verified against the system's trust store.
            using var uploads = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            IHost host;
            try
            {
                if (await UpdateComposition.SetAsideUnreadableBufferAsync(options, TimeProvider.System, cancellationToken).ConfigureAwait(false) is { } kept)
                {
                    LogBufferSetAside(log, kept);
                }

                var builder = await AgentComposition.CreateBuilderAsync(options, log, TimeProvider.System, cancellationToken, runtime: runtime)
                    .ConfigureAwait(false);
                JobsComposition.AddJobs(
                    builder.Services,
                    options,
                    new JobParts(runtime, [ReportDiagnostics(runtime, recentLog, uploads, startLoggers), UploadReadings(options, uploads)]),
                    TimeProvider.System);
                UpdateComposition.AddUpdate(builder.Services, options, TimeProvider.System);
                ProfilesComposition.AddProfiles(builder.Services, options, runtime, TimeProvider.System);
                builder.Services.AddSerilog(serilog, dispose: false);
                host = await AgentComposition.BuildAsync(builder, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                // The start-up checks passed but the files failed anyway (disk full, a race): one line, EX_IOERR, and systemd retries.
                LogOpenFailed(log, options.Buffer.Path, options.Calibration.Path, e.Message);
                return ExitCodes.IoError;
            }

            // Disposed asynchronously: the container closes the outbox, which commits what is queued first.
            await using var disposeHost = (IAsyncDisposable)host;
            if (runtime.Accepted.Count > 0)
            {
                var accepted = string.Join(", ", runtime.Accepted.Select(e => $"{e.Key}={Shown(e, options)}"));
                LogRemoteConfig(log, runtime.Store.Path, accepted, options.EffectiveHash);
            }

            // Held while the agent runs: calibrate refuses to fight the service for the sensors (AgentRunLock).
            using var runLock = Storage.AgentRunLock.TryAcquire(options.Buffer.Path);
            LogStarting(
                log,
                AgentVersion.Current,
                options.Device.ThingName,
                options.Device.StoreId,
                options.Slots.Count,
                options.Mqtt.Host,
                options.Mqtt.Port,
                options.Buffer.Path);
            // Taken before the run: RunAsync disposes the host's container when it returns.
            var workers = host.Services.GetServices<IHostedService>().OfType<BackgroundService>().ToList();
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            // A worker that failed stopped the host (BackgroundServiceExceptionBehavior.StopHost, logged as "BackgroundService
            // failed"): that is no clean stop, so say so to systemd, which restarts the unit.
            return workers.Any(s => s.ExecuteTask is { IsFaulted: true }) ? ExitCodes.Software : ExitCodes.Ok;
        });
        return command;
    }

    // A desired demand profile is ~530 characters of packed rates: the log names it by its reported hash instead.
    private static string? Shown(Config.Runtime.ConfigPatchEntry entry, Config.AgentOptions options)
        => entry.Key.StartsWith(Config.Runtime.RemoteConfigKeys.DemandProfiles + ":", StringComparison.Ordinal)
            ? options.Stock.RemoteProfiles.TryGetValue(entry.Key[(entry.Key.IndexOf(':') + 1)..], out var p)
                ? $"profile {Contract.DesiredDemandProfile.Hash(p)}"
                : "none"
            : entry.Value;

    [LoggerMessage(
        EventId = 3,
        Level = LogLevel.Information,
        Message = "Remotely accepted configuration from {Path} in effect: {Keys} (configuration hash {ConfigHash})")]
    private static partial void LogRemoteConfig(ILogger logger, string path, string keys, string configHash);

    /// <summary>The report-diagnostics job: the doctor on the options in effect when the job runs (a config-update may have changed them).</summary>
    private static ReportDiagnosticsOperation ReportDiagnostics(
        Config.Runtime.RuntimeConfig runtime, RecentLogLines recentLog, HttpClient uploads, ILoggerFactory loggers) => new(
        runtime.Current.Device.ThingName,
        ct => DeviceDoctor.InAgentAsync(runtime.Current, Buses.Real, TimeProvider.System, loggers, ct),
        recentLog,
        new IotCore.Jobs.Operations.DiagnosticsUploader(uploads),
        TimeProvider.System);

    /// <summary>The upload-readings job: the raw grams kept in the buffer, PUT with the report-diagnostics uploader.</summary>
    private static IotCore.Jobs.Operations.UploadReadingsOperation UploadReadings(Config.AgentOptions options, HttpClient uploads) => new(
        new TelemetryEnvelope(options.Device.ThingName, options.Device.StoreId),
        options.Buffer,
        new IotCore.Jobs.Operations.DiagnosticsUploader(uploads),
        TimeProvider.System);

    [LoggerMessage(
        EventId = 2,
        Level = LogLevel.Critical,
        Message = "cannot open the agent's files (Buffer:Path {BufferPath}, Calibration:Path {CalibrationPath}): {Reason}")]
    private static partial void LogOpenFailed(ILogger logger, string bufferPath, string calibrationPath, string reason);

    [LoggerMessage(EventId = 6605, Level = LogLevel.Error, Message = "agent-update rollback: {Note}; a fresh buffer starts (docs/jobs.md)")]
    private static partial void LogBufferSetAside(ILogger logger, string note);

    [LoggerMessage(
        EventId = 1,
        Level = LogLevel.Information,
        Message = "shelf-agent {Version} starting: thing {ThingName}, store {StoreId}, {Slots} slots, broker {Host}:{Port}, buffer {BufferPath}")]
    private static partial void LogStarting(
        ILogger logger, string version, string thingName, string storeId, int slots, string host, int port, string bufferPath);
}

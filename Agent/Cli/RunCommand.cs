using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;
using ShelfAgent.Diagnostics;
using ShelfAgent.Composition;
using ShelfAgent.Contract;

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
            var options = ConfigLoading.TryLoad(parse.GetValue(config)!, parse.InvocationConfiguration.Error, out var warnings);
            if (options is null)
            {
                return ExitCodes.Config;
            }

            var recentLog = new RecentLogLines();
            await using var serilog = LogSetup.Create(options.Logging, options.Device.ThingName, out var logFileProblem, recentLog);
            using var loggerFactory = new SerilogLoggerFactory(serilog);
            var log = loggerFactory.CreateLogger("ShelfAgent");
            foreach (var warning in logFileProblem is null ? warnings : [.. warnings, $"{options.SourceFile}: {logFileProblem}"])
            {
#pragma warning disable CA1848, CA2254 // start-up only
                log.LogWarning(warning);
#pragma warning restore CA1848, CA2254
            }

            IHost host;
            try
            {
                host = await AgentComposition.BuildHostAsync(options, loggerFactory, TimeProvider.System, cancellationToken, jobs: new JobParts(RecentLog: recentLog)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                // The start-up checks passed but the files failed anyway (disk full, a race): one line, EX_IOERR, and systemd retries.
                LogOpenFailed(log, options.Buffer.Path, options.Calibration.Path, e.Message);
                return ExitCodes.IoError;
            }

            using var disposeHost = host;
            LogStarting(log, AgentVersion.Current, options.Device.ThingName, options.Device.StoreId, options.Slots.Count, options.Mqtt.Host, options.Mqtt.Port, options.Buffer.Path);
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Critical, Message = "cannot open the agent's files (Buffer:Path {BufferPath}, Calibration:Path {CalibrationPath}): {Reason}")]
    private static partial void LogOpenFailed(ILogger logger, string bufferPath, string calibrationPath, string reason);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "shelf-agent {Version} starting: thing {ThingName}, store {StoreId}, {Slots} slots, broker {Host}:{Port}, buffer {BufferPath}")]
    private static partial void LogStarting(ILogger logger, string version, string thingName, string storeId, int slots, string host, int port, string bufferPath);
}

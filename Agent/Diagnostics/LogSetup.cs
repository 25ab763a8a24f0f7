using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;
using ShelfAgent.Config;

namespace ShelfAgent.Diagnostics;

/// <summary>
/// Builds the Serilog logger: console always (for the journal under systemd), a rolling file when configured,
/// as text or compact JSON (<c>Logging:Format</c>).
/// </summary>
public static class LogSetup
{
    private const string ConsoleTemplate = "{Timestamp:HH:mm:ss.fff} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}";
    // Logging:File's bound on an SD card: rolled daily and at 10 MB, 7 files kept, so at most 70 MB (docs/configuration.md).
    private const long FileSizeLimitBytes = 10 * 1024 * 1024;
    private const int RetainedFiles = 7;

    private const string FileTemplate = "{Timestamp:o} {Level:u3} {SourceContext}: {Message:lj} {Properties}{NewLine}{Exception}";

    /// <summary>
    /// Creates the logger for the given options; console lines are for the journal when systemd connected the
    /// output to it (<c>JOURNAL_STREAM</c> set, systemd.exec(5)).
    /// </summary>
    /// <param name="options">Logging options.</param>
    /// <param name="thingName">Added to every event.</param>
    /// <param name="fileProblem">Why Logging:File is left out, or null.</param>
    /// <param name="recent">Also keep the last warnings and errors here (for the report-diagnostics job), or null.</param>
    public static Serilog.Core.Logger Create(LoggingOptions options, string thingName, out string? fileProblem, RecentLogLines? recent = null) =>
        Create(options, thingName, !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM")), out fileProblem, recent);

    /// <summary>
    /// Creates the logger. Serilog's file sink drops what it cannot write without a word, so an unwritable
    /// <c>Logging:File</c> is left out and said in <paramref name="fileProblem"/>, for the caller to log at start.
    /// </summary>
    /// <param name="options">Logging options.</param>
    /// <param name="thingName">Added to every event.</param>
    /// <param name="journal">Console lines for the journal (no timestamp, syslog priority prefixes).</param>
    /// <param name="fileProblem">Why Logging:File is left out, or null.</param>
    /// <param name="recent">Also keep the last warnings and errors here, or null.</param>
    public static Serilog.Core.Logger Create(LoggingOptions options, string thingName, bool journal, out string? fileProblem, RecentLogLines? recent = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var level = Enum.TryParse<LogEventLevel>(options.Level, ignoreCase: true, out var parsed) ? parsed : LogEventLevel.Information;
        var config = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            // The host's lifetime lines ("Application started… Hosting environment… Content root path…") say
            // nothing about the agent; its own start line does. Warnings from the host still come through.
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Extensions.Hosting", LogEventLevel.Warning)
            .Enrich.WithProperty("ThingName", thingName);
        config = journal
            ? config.WriteTo.Console(new JournalFormatter(invariant), standardErrorFromLevel: LogEventLevel.Verbose)
            : config.WriteTo.Console(outputTemplate: ConsoleTemplate, formatProvider: invariant, standardErrorFromLevel: LogEventLevel.Verbose);
        if (recent is not null)
        {
            config = config.WriteTo.Sink(recent, LogEventLevel.Warning);
        }

        fileProblem = string.IsNullOrWhiteSpace(options.File) ? null : FolderAccess.WhyNotWritable(options.File)?.Reason;
        if (fileProblem is not null)
        {
            fileProblem = $"Logging:File {options.File}: {fileProblem}; logging to the console (journald) only. " +
                "Under the systemd unit only /var/log/shelf-agent and /var/lib/shelf-agent are writable";
        }
        else if (!string.IsNullOrWhiteSpace(options.File))
        {
            config = options.Format == LogFileFormat.CompactJson
                ? config.WriteTo.File(
                    new CompactJsonFormatter(),
                    options.File,
                    rollingInterval: RollingInterval.Day,
                    retainedFileCountLimit: RetainedFiles,
                    fileSizeLimitBytes: FileSizeLimitBytes,
                    rollOnFileSizeLimit: true)
                : config.WriteTo.File(
                    options.File,
                    rollingInterval: RollingInterval.Day,
                    retainedFileCountLimit: RetainedFiles,
                    fileSizeLimitBytes: FileSizeLimitBytes,
                    rollOnFileSizeLimit: true,
                    formatProvider: invariant,
                    outputTemplate: FileTemplate);
        }

        return config.CreateLogger();
    }
}

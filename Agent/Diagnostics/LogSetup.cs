using Serilog;
using Serilog.Events;
using ShelfAgent.Config;

namespace ShelfAgent.Diagnostics;

/// <summary>Builds the Serilog logger: console always (journald under systemd), a rolling file when configured.</summary>
public static class LogSetup
{
    /// <summary>
    /// Creates the logger for the given options. Serilog's file sink drops what it cannot write without a word,
    /// so an unwritable <c>Logging:File</c> is left out and said in <paramref name="fileProblem"/>, for the caller to log at start.
    /// </summary>
    /// <param name="options">Logging options.</param>
    /// <param name="thingName">Added to every event.</param>
    /// <param name="fileProblem">Why Logging:File is left out, or null.</param>
    /// <param name="recent">Also keep the last warnings and errors here (for the report-diagnostics job), or null.</param>
    public static Serilog.Core.Logger Create(LoggingOptions options, string thingName, out string? fileProblem, RecentLogLines? recent = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var level = Enum.TryParse<LogEventLevel>(options.Level, ignoreCase: true, out var parsed) ? parsed : LogEventLevel.Information;
        var config = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .Enrich.WithProperty("ThingName", thingName)
            .WriteTo.Console(
                outputTemplate: "{Timestamp:HH:mm:ss.fff} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture,
                standardErrorFromLevel: LogEventLevel.Verbose);
        if (recent is not null)
        {
            config = config.WriteTo.Sink(recent, LogEventLevel.Warning);
        }

        fileProblem = string.IsNullOrWhiteSpace(options.File) ? null : FolderAccess.WhyNotWritable(options.File);
        if (fileProblem is not null)
        {
            fileProblem = $"Logging:File {options.File}: {fileProblem}; logging to the console (journald) only. Under the systemd unit only /var/log/shelf-agent and /var/lib/shelf-agent are writable";
        }
        else if (!string.IsNullOrWhiteSpace(options.File))
        {
            config = config.WriteTo.File(
                options.File,
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 7,
                fileSizeLimitBytes: 50 * 1024 * 1024,
                rollOnFileSizeLimit: true,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture,
                outputTemplate: "{Timestamp:o} {Level:u3} {SourceContext}: {Message:lj} {Properties}{NewLine}{Exception}");
        }

        return config.CreateLogger();
    }
}

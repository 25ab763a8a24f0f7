using System.Globalization;
using Serilog.Core;
using Serilog.Events;

namespace ShelfAgent.Diagnostics;

/// <summary>
/// The last warning and error lines of the running agent, kept in memory (a bounded ring) for the
/// <c>report-diagnostics</c> job: what a technician would otherwise read in journald. A Serilog sink; the log never
/// holds secrets or key material, so neither does this.
/// </summary>
public sealed class RecentLogLines : ILogEventSink
{
    /// <summary>Lines kept.</summary>
    public const int Capacity = 200;

    private readonly Queue<string> _lines = new(Capacity);
    private readonly Lock _sync = new();

    /// <inheritdoc />
    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        if (logEvent.Level < LogEventLevel.Warning)
        {
            return;
        }

        var source = logEvent.Properties.TryGetValue("SourceContext", out var s) && s is ScalarValue { Value: string name } ? name : "";
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{logEvent.Timestamp.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} {Level(logEvent.Level)} {source}: {logEvent.RenderMessage(CultureInfo.InvariantCulture)}");
        if (logEvent.Exception is { } e)
        {
            line += $" ({e.GetType().Name}: {e.Message})";
        }

        Add(line.ReplaceLineEndings(" "));
    }

    /// <summary>Adds a line (the sink's path; tests call it directly).</summary>
    public void Add(string line)
    {
        lock (_sync)
        {
            if (_lines.Count == Capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
        }
    }

    /// <summary>The last <paramref name="count"/> lines, oldest first.</summary>
    public IReadOnlyList<string> Last(int count)
    {
        lock (_sync)
        {
            return [.. _lines.Skip(Math.Max(0, _lines.Count - count))];
        }
    }

    private static string Level(LogEventLevel level) => level switch
    {
        LogEventLevel.Warning => "WRN",
        LogEventLevel.Error => "ERR",
        _ => "FTL",
    };
}

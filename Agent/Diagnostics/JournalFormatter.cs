using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace ShelfAgent.Diagnostics;

/// <summary>
/// Console lines for journald (the unit's stdout and stderr are its stream, JOURNAL_STREAM set): no timestamp, the
/// journal stamps each line itself; every line — an exception's stack trace too — starts with the event's
/// <see cref="SyslogPrefix"/>, since journald reads the priority per line.
/// </summary>
public sealed class JournalFormatter(IFormatProvider? formatProvider) : ITextFormatter
{
    /// <summary>Source, message, exception: what a journal line needs beyond what journald adds.</summary>
    public const string Template = "{SourceContext}: {Message:lj}{NewLine}{Exception}";

    private readonly MessageTemplateTextFormatter _inner = new(Template, formatProvider);

    /// <inheritdoc />
    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);
        using var text = new StringWriter(formatProvider);
        _inner.Format(logEvent, text);
        var prefix = SyslogPrefix.For(logEvent.Level);
        foreach (var line in text.ToString().Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            if (trimmed.Length > 0)
            {
                output.Write(prefix);
                output.Write(trimmed);
                output.Write('\n');
            }
        }
    }
}

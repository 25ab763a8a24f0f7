using Serilog.Events;
using Serilog.Parsing;
using ShelfAgent.Diagnostics;

namespace ShelfAgent.Tests.Diagnostics;

public sealed class JournalFormatterTests
{
    [Theory]
    [InlineData(LogEventLevel.Fatal, "<2>")]
    [InlineData(LogEventLevel.Error, "<3>")]
    [InlineData(LogEventLevel.Warning, "<4>")]
    [InlineData(LogEventLevel.Information, "<6>")]
    [InlineData(LogEventLevel.Debug, "<7>")]
    [InlineData(LogEventLevel.Verbose, "<7>")]
    public void Levels_map_to_the_sd_daemon_priorities(LogEventLevel level, string prefix)
    {
        Assert.Equal(prefix, SyslogPrefix.For(level));
    }

    [Fact]
    public void A_line_has_the_priority_source_and_message_and_no_timestamp()
    {
        var text = Format(LogEventLevel.Warning, "Publishing {Count} readings failed", null, ("Count", 12));

        Assert.Equal("<4>ShelfAgent.Pipeline.PublishingService: Publishing 12 readings failed\n", text);
    }

    [Fact]
    public void Every_line_of_an_exception_carries_the_priority_so_journald_files_the_stack_trace_with_it()
    {
        Exception thrown;
        try
        {
            throw new IOException("disk I/O error");
        }
        catch (IOException e)
        {
            thrown = e;
        }

        var lines = Format(LogEventLevel.Error, "Could not commit", thrown).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.True(lines.Length >= 3, string.Join('\n', lines));
        Assert.All(lines, l => Assert.StartsWith("<3>", l, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("System.IO.IOException: disk I/O error", StringComparison.Ordinal));
    }

    private static string Format(LogEventLevel level, string template, Exception? exception, params (string Name, object Value)[] properties)
    {
        var props = properties.Select(p => new LogEventProperty(p.Name, new ScalarValue(p.Value)))
            .Append(new LogEventProperty("SourceContext", new ScalarValue("ShelfAgent.Pipeline.PublishingService")));
        var logEvent = new LogEvent(
            new DateTimeOffset(2026, 12, 2, 5, 0, 0, TimeSpan.Zero), level, exception, new MessageTemplateParser().Parse(template), props);
        using var output = new StringWriter();
        new JournalFormatter(System.Globalization.CultureInfo.InvariantCulture).Format(logEvent, output);
        return output.ToString();
    }
}

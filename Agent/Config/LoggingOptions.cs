namespace ShelfAgent.Config;

/// <summary><c>Logging</c>.</summary>
public sealed class LoggingOptions
{
    /// <summary><c>Logging:Level</c>: Verbose | Debug | Information | Warning | Error.</summary>
    public string Level { get; set; } = "Information";

    /// <summary><c>Logging:File</c>: also write logs to this file (rolled daily, 7 kept); empty: console only (journald).</summary>
    public string? File { get; set; }

    /// <summary><c>Logging:Format</c>: <c>Text</c> (default) or <c>CompactJson</c> for <see cref="File"/>; the console is always text.</summary>
    public LogFileFormat Format { get; set; } = LogFileFormat.Text;
}

using Serilog.Events;

namespace ShelfAgent.Diagnostics;

/// <summary>
/// The <c>&lt;N&gt;</c> a line written to the journal's stream starts with, so journald files it at that priority
/// (sd-daemon(3): SD_ERR "&lt;3&gt;", SD_WARNING "&lt;4&gt;", SD_INFO "&lt;6&gt;", SD_DEBUG "&lt;7&gt;"; syslog(3) levels).
/// </summary>
public static class SyslogPrefix
{
    /// <summary>The prefix for a Serilog level: Fatal → crit, Error → err, Warning → warning, Information → info, Debug and Verbose → debug.</summary>
    public static string For(LogEventLevel level) => level switch
    {
        LogEventLevel.Fatal => "<2>",
        LogEventLevel.Error => "<3>",
        LogEventLevel.Warning => "<4>",
        LogEventLevel.Information => "<6>",
        _ => "<7>",
    };
}

namespace ShelfAgent.Config;

/// <summary><c>Logging:Format</c>: how <c>Logging:File</c> is written.</summary>
public enum LogFileFormat
{
    /// <summary>One readable line per event: timestamp, level, source, message, properties.</summary>
    Text,

    /// <summary>
    /// One JSON object per line in Serilog's compact format (CLEF: <c>@t</c>, <c>@mt</c>, <c>@l</c>, <c>@x</c> and the
    /// event's properties; Serilog.Formatting.Compact), for log shippers and <c>jq</c>.
    /// </summary>
    CompactJson,
}

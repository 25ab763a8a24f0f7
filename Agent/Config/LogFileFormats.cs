namespace ShelfAgent.Config;

/// <summary>The spellings of <see cref="LogFileFormat"/> accepted in agent.json.</summary>
public static class LogFileFormats
{
    /// <summary><c>Text</c> or <c>CompactJson</c>, any case; <see langword="null"/> for anything else (numbers too).</summary>
    public static LogFileFormat? TryParse(string value) => value.ToUpperInvariant() switch
    {
        "TEXT" => LogFileFormat.Text,
        "COMPACTJSON" => LogFileFormat.CompactJson,
        _ => null,
    };
}

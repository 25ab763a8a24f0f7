using ShelfAgent.Config;

namespace ShelfAgent.Cli;

/// <summary>Loads agent.json for a command, printing problems (no stack trace) and returning EX_CONFIG on failure.</summary>
public static class ConfigLoading
{
    /// <summary>Returns the options, or null after printing every problem to standard error.</summary>
    public static AgentOptions? TryLoad(string path, TextWriter error, out IReadOnlyList<string> warnings, bool offline = false)
    {
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            return AgentConfigLoader.Load(path, out warnings, offline: offline);
        }
        catch (ConfigException e)
        {
            error.WriteLine(e.Message);
            warnings = [];
            return null;
        }
    }
}

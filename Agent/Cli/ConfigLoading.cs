using ShelfAgent.Config;

namespace ShelfAgent.Cli;

/// <summary>Loads agent.json for a command, printing problems (no stack trace) and returning EX_CONFIG on failure.</summary>
public static class ConfigLoading
{
    /// <summary>Returns the options, or null after printing every problem to standard error; <paramref name="use"/> says what the command needs checked.</summary>
    public static AgentOptions? TryLoad(string path, TextWriter error, out IReadOnlyList<string> warnings, ConfigUse use = ConfigUse.Run)
    {
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            return AgentConfigLoader.Load(path, out warnings, use: use);
        }
        catch (ConfigException e)
        {
            error.WriteLine(e.Message);
            warnings = [];
            return null;
        }
    }
}

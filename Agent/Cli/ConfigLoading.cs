using ShelfAgent.Config;
using ShelfAgent.Config.Runtime;

namespace ShelfAgent.Cli;

/// <summary>Loads agent.json for a command, printing problems (no stack trace) and returning EX_CONFIG on failure.</summary>
public static class ConfigLoading
{
    /// <summary>
    /// Returns the options, or null after printing every problem to standard error; <paramref name="use"/> says what the command needs
    /// checked.
    /// </summary>
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

    /// <summary>
    /// As <see cref="TryLoad"/> for <c>run</c>: agent.json with the persisted remote changes laid over it
    /// (<see cref="RuntimeConfig.OpenAsync"/>); null after printing every problem of agent.json itself.
    /// </summary>
    public static async Task<(RuntimeConfig? Config, IReadOnlyList<string> Warnings)> TryOpenRuntimeAsync(
        string path, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            return await RuntimeConfig.OpenAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return (null, []);
        }
    }
}

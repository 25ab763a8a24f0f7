using System.CommandLine;
using ShelfAgent.Config;

namespace ShelfAgent.Cli;

/// <summary>Options shared by several commands.</summary>
public static class CliOptions
{
    /// <summary><c>--config PATH</c>, defaulting to /etc/shelf-agent/agent.json.</summary>
    public static Option<string> Config() => new("--config", "-c")
    {
        Description = $"Path of agent.json (environment variables SHELFAGENT_<Section>__<Key> override it)",
        DefaultValueFactory = _ => AgentConfigLoader.DefaultPath,
    };
}

using System.CommandLine;

namespace ShelfAgent.LocalIot.Cli;

/// <summary>Options several commands share.</summary>
internal static class CliOptions
{
    /// <summary>Environment variable naming the state folder when --state is not given.</summary>
    public const string StateVariable = "LOCAL_IOT_CORE_STATE";

    /// <summary>--state DIR: the running core's folder (the one <c>start</c> was given).</summary>
    public static Option<string> State() => new("--state", "-s")
    {
        Description = $"The core's state folder: CA, certificates, registry, shadows, jobs (default: ${StateVariable}, else ./.local-iot-core)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(StateVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : ".local-iot-core",
    };

    /// <summary>--thing NAME.</summary>
    public static Option<string> Thing() => new("--thing", "-t") { Description = "The thing's name", Required = true };

    /// <summary>--json: the core's answer as JSON instead of lines for a person.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print the core's answer as JSON" };
}

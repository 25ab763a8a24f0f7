using System.Reflection;

namespace ShelfAgent.Contract;

/// <summary>The agent's version, as <c>--version</c> prints it and the status message and the shadow report it.</summary>
public static class AgentVersion
{
    /// <summary>Informational version of the executable.</summary>
    public static string Current { get; } =
        typeof(AgentVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}

using System.CommandLine;

namespace ShelfAgent.LocalIot.Cli;

/// <summary>The command tree of <c>local-iot-core</c>.</summary>
public static class CoreCli
{
    /// <summary>Builds the root command with every subcommand.</summary>
    public static RootCommand Create()
    {
        // Given before or after the command: `local-iot-core --state DIR job create …` or `… job create --state DIR`.
        var state = CliOptions.State();
        state.Recursive = true;
        return new RootCommand(
            "local-iot-core: a local AWS IoT Core on 127.0.0.1 " +
            "(mosquitto with mutual TLS, device shadows, jobs, fleet provisioning, Cloud's IoT policies) for development and demos; never for production")
        {
            state,
            StartCommand.Create(state),
            ThingCommand.Create(state),
            ObserverCommand.Create(state),
            JobCommand.Create(state),
            ShadowCommand.Create(state),
        };
    }
}

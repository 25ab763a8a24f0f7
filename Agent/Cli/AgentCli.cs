using System.CommandLine;

namespace ShelfAgent.Cli;

/// <summary>The command tree of <c>shelf-agent</c>.</summary>
public static class AgentCli
{
    /// <summary>Builds the root command with every subcommand.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand("ShelfAgent: shelf stock sensing at the edge, buffered in SQLite and published to AWS IoT Core over MQTT with mutual TLS.")
        {
            RunCommand.Create(),
            DevCertsCommand.Create(),
            ProvisionCommand.Create(),
            BufferCommand.Create(),
            SensorsCommand.Create(),
            CalibrateCommand.Create(),
            DoctorCommand.Create(),
            BacktestCommand.Create(),
            WatchCommand.Create(),
        };
        return root;
    }
}

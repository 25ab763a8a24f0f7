using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;
using ShelfAgent.Diagnostics;

namespace ShelfAgent.Cli;

/// <summary><c>shelf-agent doctor</c>: diagnose a device that does not send, one check per line with what to do.</summary>
public static class DoctorCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var config = CliOptions.Config();
        var noConnect = new Option<bool>("--no-connect") { Description = "Skip the broker connection (it briefly disconnects a running agent: same client id)" };
        var command = new Command("doctor", "Check config, clock, certificate, key permissions, buffer, DNS and a real broker connection")
        {
            config, noConnect,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = ConfigLoading.TryLoad(parse.GetValue(config)!, parse.InvocationConfiguration.Error, out _);
            if (options is null)
            {
                return ExitCodes.Config;
            }

            // Plain text when piped or captured (journald, a ticket, a script); colours on a terminal.
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(parse.InvocationConfiguration.Output),
                Ansi = Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
                ColorSystem = Console.IsOutputRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            });
            var failed = false;
            await foreach (var check in DeviceDoctor.RunAsync(options, TimeProvider.System, NullLoggerFactory.Instance, !parse.GetValue(noConnect), cancellationToken).ConfigureAwait(false))
            {
                var mark = check.Status switch
                {
                    CheckStatus.Ok => "[green]ok  [/]",
                    CheckStatus.Warn => "[yellow]warn[/]",
                    _ => "[red]FAIL[/]",
                };
                failed |= check.Status == CheckStatus.Fail;
                console.MarkupLine($"{mark} {Markup.Escape(check.Check),-20} {Markup.Escape(check.Detail)}");
            }

            return failed ? ExitCodes.Unavailable : ExitCodes.Ok;
        });
        return command;
    }
}

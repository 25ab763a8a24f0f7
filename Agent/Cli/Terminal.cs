using Spectre.Console;

namespace ShelfAgent.Cli;

/// <summary>
/// Whether a command's output reaches a person's terminal, and the Spectre console that draws on it. Only the
/// process's own standard output or error, not redirected, counts: a pipe, a file, CI's log or a test's writer gets
/// plain text. Spectre itself still honours <c>NO_COLOR</c> and <c>TERM=dumb</c>.
/// </summary>
public static class Terminal
{
    /// <summary>True when <paramref name="writer"/> is the console's standard output or error and that goes to a terminal.</summary>
    public static bool IsTerminal(TextWriter writer) =>
        (ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected)
        || (ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected);

    /// <summary>A Spectre console drawing on <paramref name="writer"/> with the terminal's colours and width.</summary>
    /// <param name="writer">Standard output or error.</param>
    /// <param name="live">True for a display redrawn in place (watch, sensors read): standard input may be a pipe
    /// (watch reads mosquitto_sub), which Spectre would otherwise take for a session without a person.</param>
    public static IAnsiConsole For(TextWriter writer, bool live = false) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.Detect,
        ColorSystem = ColorSystemSupport.Detect,
        Interactive = live ? InteractionSupport.Yes : InteractionSupport.Detect,
        Out = new AnsiConsoleOutput(writer),
    });
}

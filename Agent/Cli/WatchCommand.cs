using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ShelfAgent.Watch;

namespace ShelfAgent.Cli;

/// <summary>
/// <c>shelf-agent watch</c>: a person's view of a device's MQTT traffic. Reads <c>mosquitto_sub -v</c> lines
/// (topic, a space, the payload) on standard input, so it works with any subscriber and broker; shows a live
/// table of slots with events, alerts and status changes as lines, and with <c>--log</c> the agent's own
/// warnings (sensor faults) from its console log. <c>--raw</c> prints the messages as they come.
/// </summary>
public static partial class WatchCommand
{
    private static readonly TimeSpan Redraw = TimeSpan.FromMilliseconds(500);

    /// <summary>Builds the command; <paramref name="input"/> replaces standard input in tests.</summary>
    public static Command Create(TextReader? input = null)
    {
        var raw = new Option<bool>("--raw") { Description = "Print each message (topic and JSON payload) as it arrives instead of the table" };
        var log = new Option<string?>("--log") { Description = "Also show the warnings and errors the agent writes to this file (its console output, e.g. .dev/agent.console.log)" };
        var lines = CliOptions.WholeNumber("--lines", "Recent events and alerts kept under the table", "a number of lines from 1 to 1000", 15, 1, 1000);
        var command = new Command("watch", "Show a device's MQTT messages as a table of slots with events and alerts; reads 'mosquitto_sub -v' lines on standard input")
        {
            raw, log, lines,
        };
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var live = input is null && !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out);
            var screen = new Screen(output, new ShelfView(), parse.GetValue(raw), live, parse.GetValue(lines));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var follower = parse.GetValue(log) is { } path ? FollowLogAsync(path, screen, stop.Token) : Task.CompletedTask;
            var redraw = live ? RedrawAsync(screen, stop.Token) : Task.CompletedTask;
            var reader = input ?? Console.In;
            try
            {
                while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
                {
                    screen.Message(line);
                }
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C or SIGTERM: the demo stops the viewer after the agent.
            }

            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(follower, redraw).ConfigureAwait(false);
            screen.Finish();
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task RedrawAsync(Screen screen, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Redraw);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                screen.Draw();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Follows the agent's console log like <c>tail -F</c>, passing on its warnings and errors.</summary>
    private static async Task FollowLogAsync(string path, Screen screen, CancellationToken ct)
    {
        long position = 0;
        var pending = new StringBuilder();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (File.Exists(path))
                {
                    var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                    await using (stream.ConfigureAwait(false))
                    {
                        position = stream.Length < position ? 0 : position; // truncated: a new run
                        stream.Seek(position, SeekOrigin.Begin);
                        using var reader = new StreamReader(stream, Encoding.UTF8);
                        pending.Append(await reader.ReadToEndAsync(ct).ConfigureAwait(false));
                        position = stream.Position;
                    }

                    var text = pending.ToString();
                    var last = text.LastIndexOf('\n');
                    if (last >= 0)
                    {
                        foreach (var line in text[..last].Split('\n'))
                        {
                            if (AgentLogLine(line.TrimEnd('\r')) is { } shown)
                            {
                                screen.Line(shown);
                            }
                        }

                        pending.Clear().Append(text[(last + 1)..]);
                    }
                }

                await Task.Delay(250, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>"23:05:01.123 WRN ShelfAgent.Sensors.B3: Slot B3 sensor … failed" → "23:05:01  agent  WRN Slot B3 sensor … failed"; other levels: null.</summary>
    internal static string? AgentLogLine(string line)
    {
        var m = LogLinePattern().Match(line);
        return m.Success ? $"{m.Groups["time"].Value}  agent  {m.Groups["level"].Value} {m.Groups["message"].Value}" : null;
    }

    [GeneratedRegex(@"^(?<time>\d\d:\d\d:\d\d)\.\d+ (?<level>WRN|ERR|FTL) [^:]*: (?<message>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex LogLinePattern();

    /// <summary>The output: a redrawn table on a terminal, or plain lines (and the table at the end) in a pipe.</summary>
    private sealed class Screen(TextWriter output, ShelfView view, bool raw, bool live, int keep)
    {
        private readonly Lock _lock = new();
        private readonly Queue<string> _recent = new();
        private bool _dirty = true;

        public void Message(string line)
        {
            lock (_lock)
            {
                if (raw)
                {
                    output.WriteLine(line);
                    output.Flush();
                    return;
                }

                foreach (var shown in view.ApplyLine(line))
                {
                    Add(shown);
                }

                _dirty = true;
            }
        }

        public void Line(string line)
        {
            lock (_lock)
            {
                Add(line);
            }
        }

        public void Draw()
        {
            lock (_lock)
            {
                if (!_dirty || raw)
                {
                    return;
                }

                _dirty = false;
                var text = new StringBuilder("\u001b[H\u001b[2J"); // home, clear
                text.Append(CultureInfo.InvariantCulture, $"shelf-agent watch: {view.Slots.Count} slots, {view.TelemetryMessages} telemetry messages (Ctrl-C to stop)").AppendLine().AppendLine();
                text.Append(view.RenderTable()).AppendLine();
                foreach (var line in _recent)
                {
                    text.AppendLine(line);
                }

                output.Write(text.ToString());
                output.Flush();
            }
        }

        public void Finish()
        {
            if (live)
            {
                Draw(); // the last messages before the end of input stay on screen
                return;
            }

            lock (_lock)
            {
                if (raw)
                {
                    return;
                }

                output.WriteLine();
                output.Write(view.RenderTable());
                if (view.Ignored > 0)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"({view.Ignored} messages on other topics not shown; --raw shows everything)"));
                }

                output.Flush();
            }
        }

        private void Add(string line)
        {
            if (live)
            {
                _recent.Enqueue(line);
                while (_recent.Count > keep)
                {
                    _recent.Dequeue();
                }

                _dirty = true;
            }
            else
            {
                output.WriteLine(line);
                output.Flush();
            }
        }
    }
}

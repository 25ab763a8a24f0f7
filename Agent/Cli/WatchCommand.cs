using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using ShelfAgent.Config;
using ShelfAgent.Outbox;
using ShelfAgent.Watch;

namespace ShelfAgent.Cli;

/// <summary>
/// <c>shelf-agent watch</c>: a person's view of a device's MQTT traffic. Reads <c>mosquitto_sub -v</c> lines
/// (topic, a space, the payload) on standard input, so it works with any subscriber and broker; shows a live
/// table of slots with a status line per device, events, alerts and status changes as lines, and with <c>--log</c>
/// the agent's own warnings (sensor faults) from its console log. <c>--config</c> (the device's agent.json, when it
/// is at hand) makes grams net and adds the buffer's depth from the buffer file. <c>--raw</c> prints the messages as
/// they come.
/// </summary>
public static partial class WatchCommand
{
    private static readonly TimeSpan BufferPoll = TimeSpan.FromSeconds(2);

    /// <summary>Builds the command; <paramref name="input"/> replaces standard input and <paramref name="time"/> the clock in tests.</summary>
    public static Command Create(TextReader? input = null, TimeProvider? time = null)
    {
        var raw = new Option<bool>("--raw") { Description = "Print each message (topic and JSON payload) as it arrives instead of the table" };
        var log = new Option<string?>("--log")
        {
            Description = "Also show the warnings and errors the agent writes to this file (its console output, e.g. .dev/agent.console.log)",
        };
        var config = new Option<string?>("--config", "-c")
        {
            Description = "The watched device's agent.json, when it is at hand (on the device; the demo's is .dev/agent.json): " +
                "net grams from the slots' TareGrams, the buffer's depth from Buffer:Path",
        };
        var lines = CliOptions.WholeNumber("--lines", "Recent events and alerts kept under the table", "a number of lines from 1 to 1000", 15, 1, 1000);
        var command = new Command(
            "watch",
            "Show a device's MQTT messages as a table of slots with a status line, events and alerts; reads 'mosquitto_sub -v' lines on standard input")
        {
            raw, log, config, lines,
        };
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            AgentOptions? device = null;
            if (parse.GetValue(config) is { } configPath)
            {
                device = ConfigLoading.TryLoad(configPath, parse.InvocationConfiguration.Error, out _, ConfigUse.Slots);
                if (device is null)
                {
                    return ExitCodes.Config;
                }
            }

            var clock = time ?? TimeProvider.System;
            var view = new ShelfView(clock, device?.Device.ThingName, device?.Slots);
            var live = input is null && Terminal.IsTerminal(output);
            var screen = new WatchScreen(output, view, parse.GetValue(raw), live, parse.GetValue(lines));
            // Ctrl-C and SIGTERM (how the demo stops the viewer) end the viewer in order.
            using var stop = new SignalStop(ct);
            var follower = parse.GetValue(log) is { } path ? AgentLogFollower.FollowAsync(path, screen.Line, stop.Token) : Task.CompletedTask;
            var buffer = Task.CompletedTask;
            if (device is { Device.ThingName.Length: > 0 })
            {
                await ReadBufferAsync(device, screen, clock, ct).ConfigureAwait(false);
                buffer = PollBufferAsync(device, screen, clock, stop.Token);
            }

            var draw = screen.RunAsync(stop.Token);
            var reader = input ?? Console.In;
            // Console.In's ReadLine blocks and does not see a cancellation: on Ctrl-C or SIGTERM (the demo stops the
            // viewer after the agent) the viewer stops waiting for it, so the end still draws and the terminal is restored.
            var reading = Task.Run(
                async () =>
                {
                    while (await reader.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
                    {
                        screen.Message(line);
                    }
                },
                CancellationToken.None);
            try
            {
                await reading.WaitAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            await stop.StopAsync().ConfigureAwait(false);
            await Task.WhenAll(follower, buffer, draw).ConfigureAwait(false);
            screen.Finish();
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Reads the device's buffer file every few seconds until <paramref name="ct"/> (the first read is the caller's).</summary>
    private static async Task PollBufferAsync(AgentOptions device, WatchScreen screen, TimeProvider time, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(BufferPoll, time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                await ReadBufferAsync(device, screen, time, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Reads the buffer file as <c>buffer stats</c> does (read-only, while the agent writes it); a file not there yet is skipped.</summary>
    private static async Task ReadBufferAsync(AgentOptions device, WatchScreen screen, TimeProvider time, CancellationToken ct)
    {
        var path = device.Buffer.Path;
        if (!File.Exists(path))
        {
            return; // the agent may start after the viewer (the demo starts it so)
        }

        try
        {
            var s = await SqliteOutbox.ReadStatsAsync(path, time, device.Buffer.LiveWindowSeconds, ct).ConfigureAwait(false);
            var lanes = string.Create(CultureInfo.InvariantCulture, $"{s.EventDepth:N0} events, {s.LiveDepth:N0} live, {s.BacklogDepth:N0} backlog");
            var depth = new BufferDepth(s.EventDepth + s.LiveDepth + s.BacklogDepth, s.OldestReadingAge, "buffer file " + path, time.GetUtcNow(), lanes);
            screen.Update(view => view.Device(device.Device.ThingName).Buffer = depth);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SqliteException)
        {
            // Being created or replaced by the agent: the next read will do.
        }
    }

    /// <summary>
    /// "23:05:01.123 WRN ShelfAgent.Sensors.B3: Slot B3 sensor … failed" → "23:05:01  agent  WRN Slot B3 sensor … failed";
    /// other levels: null.
    /// </summary>
    internal static string? AgentLogLine(string line)
    {
        var m = LogLinePattern().Match(line);
        return m.Success ? $"{m.Groups["time"].Value}  agent  {m.Groups["level"].Value} {m.Groups["message"].Value}" : null;
    }

    [GeneratedRegex(@"^(?<time>\d\d:\d\d:\d\d)\.\d+ (?<level>WRN|ERR|FTL) [^:]*: (?<message>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex LogLinePattern();
}

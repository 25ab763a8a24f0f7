using System.Globalization;
using ShelfAgent.Watch;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ShelfAgent.Cli;

/// <summary>
/// What <c>watch</c> writes. On a terminal: the status lines, the table and the latest lines, redrawn in place by
/// Spectre's live display. Anywhere else: events, alerts and warnings as plain lines while they come, and the status
/// lines and the table once at the end (a pipe cannot be redrawn). <c>--raw</c>: the messages as they came.
/// </summary>
internal sealed class WatchScreen(TextWriter output, ShelfView view, bool raw, bool live, int keep)
{
    private static readonly TimeSpan Redraw = TimeSpan.FromMilliseconds(500);

    private readonly Lock _lock = new();
    private readonly Queue<string> _recent = new();
    private bool _finished;

    /// <summary>One <c>mosquitto_sub -v</c> line.</summary>
    public void Message(string line)
    {
        lock (_lock)
        {
            if (_finished)
            {
                return; // input still arriving after Ctrl-C: the table is already out
            }

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
        }
    }

    /// <summary>A line from elsewhere (the agent's log).</summary>
    public void Line(string line)
    {
        lock (_lock)
        {
            if (!raw)
            {
                Add(line);
            }
        }
    }

    /// <summary>Changes the view from another source (the buffer file) under the screen's lock.</summary>
    public void Update(Action<ShelfView> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_lock)
        {
            change(view);
        }
    }

    /// <summary>On a terminal, redraws until <paramref name="ct"/> (the ages in the status line move even without messages).</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        if (!live || raw)
        {
            return;
        }

        var console = Terminal.For(output, live: true);
        await console.Live(Draw(console)).AutoClear(false).Overflow(VerticalOverflow.Ellipsis).Cropping(VerticalOverflowCropping.Top)
            .StartAsync(async ctx =>
            {
                using var timer = new PeriodicTimer(Redraw);
                try
                {
                    while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
                    {
                        ctx.UpdateTarget(Draw(console));
                    }
                }
                catch (OperationCanceledException)
                {
                }

                ctx.UpdateTarget(Draw(console)); // the last messages before the end stay on screen
            }).ConfigureAwait(false);
    }

    /// <summary>In a pipe: the status lines, the table and what was not shown, once the input has ended.</summary>
    public void Finish()
    {
        lock (_lock)
        {
            _finished = true;
            if (live || raw)
            {
                return;
            }

            output.WriteLine();
            foreach (var status in view.StatusLines())
            {
                output.WriteLine(status);
            }

            output.Write(Table().ToPlainText());
            output.WriteLine(view.Legend);
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
        }
        else
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    private Rows Draw(IAnsiConsole console)
    {
        lock (_lock)
        {
            var now = view.Clock.Now;
            var title = string.Create(
                CultureInfo.InvariantCulture, $"shelf-agent watch: {view.Slots.Count} slots, {view.TelemetryMessages} telemetry messages (Ctrl-C to stop)");
            var parts = new List<IRenderable> { new Text(title, new Style(decoration: Decoration.Bold)) };
            parts.AddRange(view.Devices.Select(d => new Text(d.Line(view.Clock), new Style(d.NeedsAttention(now) ? Color.Red : Color.Default))));
            parts.Add(Table().ToRenderable(styled: true));
            parts.Add(new Text(view.Legend, new Style(Color.Grey)));
            // The newest lines that fit under the table (the live display crops from the top when the window is short).
            var room = Math.Max(3, console.Profile.Height - view.Devices.Count - view.Slots.Count - 8);
            parts.AddRange(_recent.Skip(Math.Max(0, _recent.Count - room)).Select(l => new Text(l)));
            return new Rows(parts);
        }
    }

    private TextTable Table()
    {
        var headings = view.Headings;
        var table = new TextTable(headings.Select((h, i) => new TextColumn(h, AlignRight: i is 2 or 3)).ToArray());
        foreach (var row in view.Rows())
        {
            var status = row[4];
            var tone = status.StartsWith("fault", StringComparison.Ordinal) || status.StartsWith("empty", StringComparison.Ordinal) ? Tone.Bad
                : status.StartsWith("low", StringComparison.Ordinal) ? Tone.Warning
                : status.StartsWith("ok", StringComparison.Ordinal) ? Tone.Good : Tone.Normal;
            table.Add(row[0], row[1], row[2], row[3], new TextCell(status, tone), row[5], new TextCell(row[6], Tone.Dim));
        }

        return table;
    }
}

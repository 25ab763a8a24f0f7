using System.Text;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ShelfAgent.Cli;

/// <summary>
/// The one table renderer of the commands that show people a table (<c>watch</c>, <c>backtest</c>'s per-slot
/// summary, <c>buffer stats</c>, <c>sensors read</c>), on Spectre.Console. On a terminal: a rounded border and
/// colours by <see cref="Tone"/>. Anywhere else (a pipe, a file, CI, a test): plain text in aligned columns, two
/// spaces apart, no border and no escape sequences, one line per row, so grep, awk and the tests read it.
/// </summary>
public sealed class TextTable
{
    // Wide enough that no cell of ours is ever wrapped in plain text (a line is cut only by the reader's terminal).
    private const int PlainWidth = 4096;

    private readonly TextColumn[] _columns;
    private readonly List<TextCell[]> _rows = [];

    /// <summary>A table with these columns.</summary>
    public TextTable(params TextColumn[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _columns = columns;
    }

    /// <summary>False for a table of labels and values, which needs no headings.</summary>
    public bool ShowHeadings { get; init; } = true;

    /// <summary>Rows added so far.</summary>
    public int RowCount => _rows.Count;

    /// <summary>Adds a row; missing cells are empty.</summary>
    public TextTable Add(params TextCell[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length > _columns.Length)
        {
            throw new ArgumentException($"{cells.Length} cells for {_columns.Length} columns", nameof(cells));
        }

        _rows.Add([.. cells, .. Enumerable.Repeat(new TextCell(""), _columns.Length - cells.Length)]);
        return this;
    }

    /// <summary>The table as Spectre renders it: bordered and coloured when <paramref name="styled"/>, else plain.</summary>
    public Table ToRenderable(bool styled)
    {
        var table = new Table().Border(styled ? TableBorder.Rounded : TableBorder.None);
        if (!ShowHeadings)
        {
            table.HideHeaders();
        }

        for (var i = 0; i < _columns.Length; i++)
        {
            var c = _columns[i];
            var column = new TableColumn(new Text(c.Heading, styled ? new Style(decoration: Decoration.Bold) : Style.Plain));
            if (!styled)
            {
                // Two spaces between columns, none before the first or after the last: what people and scripts expect.
                column.PadLeft(0).PadRight(i == _columns.Length - 1 ? 0 : 2);
            }

            if (c.AlignRight)
            {
                column.RightAligned();
            }

            table.AddColumn(column);
        }

        foreach (var row in _rows)
        {
            table.AddRow(row.Select(cell => (IRenderable)new Text(cell.Text, styled ? StyleOf(cell.Tone) : Style.Plain)));
        }

        return table;
    }

    /// <summary>Plain text, each line ending in <see cref="Environment.NewLine"/>, no trailing spaces.</summary>
    public string ToPlainText()
    {
        using var buffer = new StringWriter();
        var console = PlainConsole(buffer);
        console.Write(ToRenderable(styled: false));
        var text = new StringBuilder();
        foreach (var line in buffer.ToString().Split('\n'))
        {
            if (line.TrimEnd() is { Length: > 0 } trimmed)
            {
                text.Append(trimmed).Append(Environment.NewLine);
            }
        }

        return text.ToString();
    }

    /// <summary>Writes the table to <paramref name="output"/>: styled on a terminal, plain anywhere else.</summary>
    public void WriteTo(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (Terminal.IsTerminal(output))
        {
            Terminal.For(output).Write(ToRenderable(styled: true));
        }
        else
        {
            output.Write(ToPlainText());
        }
    }

    private static IAnsiConsole PlainConsole(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = PlainWidth;
        return console;
    }

    private static Style StyleOf(Tone tone) => tone switch
    {
        Tone.Good => new Style(Color.Green),
        Tone.Warning => new Style(Color.Yellow),
        Tone.Bad => new Style(Color.Red),
        Tone.Dim => new Style(Color.Grey),
        _ => Style.Plain,
    };
}

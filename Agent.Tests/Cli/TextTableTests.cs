using ShelfAgent.Cli;
using Spectre.Console;

namespace ShelfAgent.Tests.Cli;

public sealed class TextTableTests
{
    private static TextTable Shelf() => new TextTable(new TextColumn("SLOT"), new TextColumn("COUNT", AlignRight: true), new TextColumn("STATUS"))
        .Add("A1", "12", new TextCell("ok", Tone.Good))
        .Add("B3", "-", new TextCell("fault (timeout: not ready)", Tone.Bad));

    [Fact]
    public void Plain_text_is_aligned_columns_two_spaces_apart_numbers_on_the_right_without_escapes_or_trailing_spaces()
    {
        var text = Shelf().ToPlainText();

        Assert.Equal(
            "SLOT  COUNT  STATUS" + Environment.NewLine +
            "A1       12  ok" + Environment.NewLine +
            "B3        -  fault (timeout: not ready)" + Environment.NewLine,
            text);
    }

    [Fact]
    public void A_table_of_labels_and_values_has_no_headings()
    {
        var text = new TextTable(new TextColumn("what"), new TextColumn("value")) { ShowHeadings = false }
            .Add("live", "2 readings").Add("recovered", "0 files").ToPlainText();

        Assert.Equal("live       2 readings" + Environment.NewLine + "recovered  0 files" + Environment.NewLine, text);
    }

    [Fact]
    public void A_long_cell_is_never_wrapped_in_plain_text()
    {
        var reason = string.Concat(Enumerable.Repeat("timeout: not ready ", 20)).Trim();

        var lines = new TextTable(new TextColumn("SLOT"), new TextColumn("STATUS")).Add("B3", reason).ToPlainText()
            .Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2, lines.Length);
        Assert.EndsWith(reason, lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void On_a_terminal_the_table_has_a_border_and_colours()
    {
        using var buffer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.Standard,
            Out = new AnsiConsoleOutput(buffer),
        });

        console.Write(Shelf().ToRenderable(styled: true));

        Assert.Contains("╭", buffer.ToString(), StringComparison.Ordinal);
        Assert.Contains("\u001b[", buffer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_writer_that_is_not_the_consoles_gets_plain_text()
    {
        using var output = new StringWriter();

        Shelf().WriteTo(output);

        Assert.False(Terminal.IsTerminal(output));
        Assert.Equal(Shelf().ToPlainText(), output.ToString());
    }
}

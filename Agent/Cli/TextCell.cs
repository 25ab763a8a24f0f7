namespace ShelfAgent.Cli;

/// <summary>One cell of a <see cref="TextTable"/>: its text and, on a terminal, its colour.</summary>
public readonly record struct TextCell(string Text, Tone Tone = Tone.Normal)
{
    /// <summary>A cell in the normal colour.</summary>
    public static implicit operator TextCell(string text) => new(text);

    /// <summary>As the implicit conversion, for languages without one.</summary>
    public static TextCell FromString(string text) => new(text);
}

namespace ShelfAgent.Cli;

/// <summary>A column of a <see cref="TextTable"/>: its heading, and whether its values line up on the right (numbers).</summary>
public sealed record TextColumn(string Heading, bool AlignRight = false);

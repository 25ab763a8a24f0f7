namespace ShelfAgent.Cli;

/// <summary>What a cell's colour says on a terminal (plain text has none).</summary>
public enum Tone
{
    /// <summary>Nothing to note.</summary>
    Normal,

    /// <summary>Fine (green).</summary>
    Good,

    /// <summary>Needs attention soon: low stock, a backlog (yellow).</summary>
    Warning,

    /// <summary>Needs attention now: empty, a fault, offline (red).</summary>
    Bad,

    /// <summary>Less important (grey).</summary>
    Dim,
}

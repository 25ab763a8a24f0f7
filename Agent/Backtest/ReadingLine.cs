using ShelfAgent.Stock;

namespace ShelfAgent.Backtest;

/// <summary>One parsed input line of a backtest: a reading, with its device and sequence number when the line had them.</summary>
public sealed record ReadingLine(int LineNumber, string? Thing, string? Store, long? Seq, Reading Reading);

namespace ShelfAgent.Stock;

/// <summary>
/// Splits each sampling round into what is published and what is kept only as raw grams on the device: with
/// <see cref="PublishedReadings.Summaries"/> the closed minutes' summaries are published; with
/// <see cref="PublishedReadings.All"/> every sample. Either way, when raw grams are kept (<c>Buffer:RawRetentionDays</c> &gt; 0),
/// the samples past the deadband (<see cref="RawDeadband"/>) go to the raw store. Pure; one sampling loop owns it.
/// </summary>
public sealed class ReadingSelection
{
    private readonly MinuteSummarizer? _summarizer;
    private readonly RawDeadband? _deadband;

    /// <summary>Creates the selection.</summary>
    /// <param name="published">What is published.</param>
    /// <param name="keepRaw">Whether samples are kept as raw grams.</param>
    /// <param name="deadbandGrams"><c>Buffer:RawDeadbandGrams</c>.</param>
    public ReadingSelection(PublishedReadings published, bool keepRaw, double deadbandGrams)
    {
        _summarizer = published == PublishedReadings.Summaries ? new MinuteSummarizer() : null;
        _deadband = keepRaw ? new RawDeadband(deadbandGrams) : null;
        Published = published;
    }

    /// <summary>Every sample published, none kept raw: the agent before issue 21 (tests and tools that build the pipeline by hand).</summary>
    public static ReadingSelection EverySample => new(PublishedReadings.All, keepRaw: false, 0);

    /// <summary>What is published.</summary>
    public PublishedReadings Published { get; }

    /// <summary>The round's readings to publish and its samples to keep raw.</summary>
    public (IReadOnlyList<Reading> Publish, IReadOnlyList<Reading> Raw) Take(IReadOnlyList<Reading> round)
    {
        ArgumentNullException.ThrowIfNull(round);
        var publish = _summarizer is null ? round : _summarizer.Add(round);
        var raw = _deadband is null ? [] : _deadband.Keep(round);
        return (publish, raw);
    }

    /// <summary>At stop: the summaries of the minutes still open (they cover the samples taken so far).</summary>
    public IReadOnlyList<Reading> Flush() => _summarizer?.Flush() ?? [];
}

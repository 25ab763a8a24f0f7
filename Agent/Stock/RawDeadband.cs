namespace ShelfAgent.Stock;

/// <summary>
/// Which samples the device keeps as raw grams (<c>Buffer:RawDeadbandGrams</c>): a slot's sample is kept when its grams
/// moved more than the deadband from the slot's last kept sample, when its count, status, reason or clock trust changed,
/// or when it is the slot's first sample of a UTC minute. So between two kept samples the weight stayed within the
/// deadband of the first, and every slot has a kept sample in every minute it was sampled. Pure; not thread-safe.
/// </summary>
/// <param name="deadbandGrams">0 keeps every sample.</param>
public sealed class RawDeadband(double deadbandGrams)
{
    private readonly Dictionary<string, (long Minute, Reading Kept)> _last = new(StringComparer.Ordinal);

    /// <summary>The samples of a round to keep, in order.</summary>
    public IReadOnlyList<Reading> Keep(IReadOnlyList<Reading> round)
    {
        ArgumentNullException.ThrowIfNull(round);
        var kept = new List<Reading>(round.Count);
        foreach (var reading in round)
        {
            var minute = MinuteSummarizer.MinuteOf(reading.Timestamp);
            if (_last.TryGetValue(reading.Slot, out var last) && last.Minute == minute && Within(last.Kept, reading))
            {
                continue;
            }

            _last[reading.Slot] = (minute, reading);
            kept.Add(reading);
        }

        return kept;
    }

    private bool Within(Reading kept, Reading next) =>
        kept.Count == next.Count && kept.Status == next.Status && kept.Reason == next.Reason && kept.TimeUntrusted == next.TimeUntrusted
        && kept.Sku == next.Sku
        && (kept.Grams, next.Grams) switch
        {
            (null, null) => true,
            ({ } a, { } b) => Math.Abs(b - a) <= deadbandGrams,
            _ => false,
        };
}

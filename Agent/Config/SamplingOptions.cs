using ShelfAgent.Outbox;
using ShelfAgent.Stock;
using ShelfAgent.Validation;

namespace ShelfAgent.Config;

/// <summary><c>Sampling</c>: how often every slot's sensor is read.</summary>
public sealed class SamplingOptions
{
    /// <summary>Longest accepted <see cref="IntervalMs"/>: one hour.</summary>
    public const int MaxIntervalMs = 3_600_000;

    /// <summary><c>Sampling:IntervalMs</c>.</summary>
    public int IntervalMs { get; set; } = 1000;

    /// <summary>
    /// Checks <c>Sampling:IntervalMs</c>. With <paramref name="slots"/>, also that a round can be done in time:
    /// the slots are read one after another and the round then waits for the buffer's group commit, so a
    /// shorter interval would silently run slower than configured.
    /// </summary>
    public IEnumerable<ConfigProblem> Validate(OutboxOptions buffer, IReadOnlyList<SlotOptions>? slots)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (IntervalMs is < 1 or > MaxIntervalMs)
        {
            yield return new ConfigProblem("Sampling:IntervalMs", $"must be from 1 to {MaxIntervalMs} ms (was {IntervalMs})");
            yield break;
        }

        if (slots is null)
        {
            yield break;
        }

        var sensorsMs = slots.Sum(s => s.Sensor.MinimumReadMs);
        var needed = buffer.CommitWindowMs + (int)Math.Ceiling(sensorsMs);
        if (IntervalMs < needed)
        {
            yield return new ConfigProblem(
                "Sampling:IntervalMs",
                $"must be at least {needed} ms for this shelf (was {IntervalMs}): " +
                $"each round reads the {slots.Count} slot{(slots.Count == 1 ? "" : "s")} one after another" +
                (sensorsMs > 0 ? $" (at least {Math.Ceiling(sensorsMs):0} ms for their sensors' conversions)" : "") +
                $" and waits for the buffer's group commit (Buffer:CommitWindowMs {buffer.CommitWindowMs}); " +
                "raise Sampling:IntervalMs, or lower Buffer:CommitWindowMs or the sensors' Samples");
        }
    }
}

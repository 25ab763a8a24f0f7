namespace ShelfAgent.Stock.Forecasting;

/// <summary>
/// Picks seen and picks the weekly shape expected, both fading with one time constant: their ratio is how much busier
/// than usual the slot has been lately (<see cref="SlotDemand"/> keeps an hour-long one and a rush one).
/// </summary>
public sealed class FadingLevel(TimeSpan timeConstant)
{
    private DateTimeOffset? _at;

    /// <summary>Faded items seen.</summary>
    public double Seen { get; private set; }

    /// <summary>Faded items the shape expected.</summary>
    public double Expected { get; private set; }

    /// <summary>When the sums were last faded.</summary>
    public DateTimeOffset? At => _at;

    /// <summary>Seen over expected with <paramref name="prior"/> pseudo-picks on both sides, so a few picks do not swing it.</summary>
    public double Ratio(double prior, double min, double max) => Math.Clamp((Seen + prior) / (Expected + prior), min, max);

    /// <summary>The shape expected <paramref name="picks"/> up to <paramref name="until"/>.</summary>
    public void Expect(DateTimeOffset until, double picks)
    {
        Fade(until);
        Expected += picks;
    }

    /// <summary><paramref name="items"/> were picked at <paramref name="at"/>.</summary>
    public void See(DateTimeOffset at, double items)
    {
        Fade(at);
        Seen += items;
    }

    private void Fade(DateTimeOffset now)
    {
        if (_at is { } at && now > at)
        {
            var f = Math.Exp(-(now - at).TotalHours / timeConstant.TotalHours);
            Seen *= f;
            Expected *= f;
        }

        if (_at is null || now > _at)
        {
            _at = now;
        }
    }
}

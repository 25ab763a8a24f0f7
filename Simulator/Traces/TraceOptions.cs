namespace ShelfAgent.Simulator.Traces;

/// <summary>What <c>shelf-sim traces</c> simulates.</summary>
public sealed record TraceOptions
{
    public int Stores { get; init; } = 5;

    public int SlotsPerDevice { get; init; } = 6;

    public DateTimeOffset Start { get; init; } = new(2026, 10, 5, 0, 0, 0, TimeSpan.Zero); // a Monday

    public double Days { get; init; } = 7;

    /// <summary>Shop seconds between readings (the agent's Sampling:IntervalMs; 1 s on a device, coarser keeps traces small).</summary>
    public int SamplingSeconds { get; init; } = 15;

    public int Seed { get; init; } = 42;

    /// <summary>Chance that a restocking round is missed.</summary>
    public double MissedRound { get; init; } = 0.08;

    /// <summary>Chance that a round is 30 min – 3 h late.</summary>
    public double LateRound { get; init; } = 0.15;

    /// <summary>Chance per slot-week of a promotion (2–4× demand for a day or a weekend).</summary>
    public double PromotionPerWeek { get; init; } = 0.3;

    /// <summary>Chance per slot-day of a sensor fault lasting 2–40 minutes.</summary>
    public double FaultEpisodePerDay { get; init; } = 0.15;

    /// <summary>Chance per pick that a hand rests on the shelf first.</summary>
    public double HandRest { get; init; } = 0.06;

    /// <summary>Chance per store-week of a public holiday: one weekday at 2–3× demand.</summary>
    public double HolidayPerWeek { get; init; } = 0.2;

    /// <summary>Chance that a round refills a slot only to 50–70 % of its capacity.</summary>
    public double PartialRefill { get; init; } = 0.1;

    /// <summary>Chance per customer that one item is put back a minute or a few later (+1, not a restock).</summary>
    public double PutBack { get; init; } = 0.03;

    /// <summary>Share of slots that sell a few items a day and are refilled only at the first round on Mondays and Thursdays.</summary>
    public double SlowSlots { get; init; } = 0.2;
}

namespace ShelfAgent.Clock;

/// <summary>Whether the system clock can be believed (issue 14, "The clock of a Pi without a battery").</summary>
public enum ClockVerdict
{
    /// <summary>The kernel says the clock is synchronised, or it is at or past the time floor.</summary>
    Trusted,

    /// <summary>Behind the last trusted time: a Pi booted without network time. TLS fails with "certificate not yet valid".</summary>
    BehindFloor,
}

namespace ShelfAgent.Drivers.Hx711;

/// <summary>Timing limits of the bit-banged reader.</summary>
public sealed record Hx711Options
{
    /// <summary>How long to wait for DOUT to go low. At 10 SPS a conversion takes 100 ms; after power-up settling takes 400 ms.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often DOUT is polled while waiting.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// A clock pulse that stayed high longer than this may have powered the chip down (datasheet: PD_SCK high
    /// for more than 60 µs enters power-down); the read is discarded. Set below 60 µs for margin.
    /// </summary>
    public TimeSpan MaxHighTime { get; init; } = TimeSpan.FromMicroseconds(50);

    /// <summary>Attempts before giving up on reads that keep getting interrupted.</summary>
    public int MaxAttempts { get; init; } = 5;
}

namespace ShelfAgent.Simulator.Scale;

/// <summary>One second (or one dashboard tick) of the fleet: the report's charts are drawn from a list of these.</summary>
public sealed record TimelinePoint(
    double Seconds,
    long Connected,
    long Connecting,
    long BackingOff,
    long ConnectAttempts,
    double ConnectsPerSecond,
    double ReadingsPerSecond,
    double MessagesPerSecond,
    long ReadingsBuffered,
    double? P50Ms,
    double? P95Ms,
    double? P99Ms);

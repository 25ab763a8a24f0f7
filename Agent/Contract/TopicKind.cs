namespace ShelfAgent.Contract;

/// <summary>The last word of a device topic, <c>dt/shelf/{store}/{thing}/{kind}</c> (<see cref="Topics"/>).</summary>
public enum TopicKind
{
    /// <summary><c>telemetry</c>: batches of readings.</summary>
    Telemetry,

    /// <summary><c>status</c>: online/offline, retained; the last will.</summary>
    Status,

    /// <summary><c>events</c>: picks and restocks.</summary>
    Events,

    /// <summary><c>alerts</c>: low, empty, predicted-empty, sensor faults.</summary>
    Alerts,

    /// <summary><c>forecast</c>: every slot's count, rate and expected empty time.</summary>
    Forecast,

    /// <summary><c>doctor</c>: the doctor's round trip.</summary>
    Doctor,
}

namespace ShelfAgent.Sensors;

/// <summary>A log line <see cref="SensorFaultLog"/> asks for.</summary>
/// <param name="Kind">First fault, summary or recovery.</param>
/// <param name="Faults">Faults it covers (1 for the first; those since the last line for a summary).</param>
/// <param name="Good">Good reads in the same span.</param>
/// <param name="Over">The span it covers.</param>
/// <param name="LastFault">The latest fault's reason.</param>
/// <param name="InARow">Faults in a row now (0: the sensor reads; -1: not known).</param>
/// <param name="Total">Faults since the first one.</param>
/// <param name="Since">Time since the first one.</param>
public sealed record SensorFaultEntry(
    SensorFaultEntryKind Kind, int Faults, int Good, TimeSpan Over, string? LastFault, int InARow, long Total, TimeSpan Since);

namespace ShelfAgent.Simulator.Rehearsals;

/// <summary>What one rehearsal measured: a line for the console, its figures, its completion curve (seconds → % of things).</summary>
public sealed record RehearsalResult(
    string Name,
    string Summary,
    IReadOnlyDictionary<string, double?> Figures,
    IReadOnlyList<CurvePoint> Curve,
    IReadOnlyDictionary<string, long> FailuresByReason);

/// <summary>Seconds since the rehearsal began, and the percentage of things done by then.</summary>
public sealed record CurvePoint(double Seconds, double Percent);

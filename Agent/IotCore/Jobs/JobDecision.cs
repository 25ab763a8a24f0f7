namespace ShelfAgent.IotCore.Jobs;

/// <summary>A decision of <see cref="JobRecovery"/>: the action, the record to persist before acting, and for Report the outcome.</summary>
/// <param name="Action">Run or Report.</param>
/// <param name="Record">Persist this before acting on the decision.</param>
/// <param name="Outcome">For <see cref="JobAction.Report"/>, what to report.</param>
public sealed record JobDecision(JobAction Action, JobRecord Record, JobOutcome? Outcome);

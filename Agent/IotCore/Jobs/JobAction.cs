namespace ShelfAgent.IotCore.Jobs;

/// <summary>What <see cref="JobRecovery"/> tells the client to do with an execution.</summary>
public enum JobAction
{
    /// <summary>Run the operation (first attempt, or again after a restart where that is safe).</summary>
    Run,
    /// <summary>Do not run: report the decision's outcome (finished before a restart, or interrupted and not safe to repeat).</summary>
    Report,
}

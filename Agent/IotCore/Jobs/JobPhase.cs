namespace ShelfAgent.IotCore.Jobs;

/// <summary>Where the agent was with the execution it persisted (<see cref="JobRecord"/>).</summary>
public enum JobPhase
{
    /// <summary>The operation was running: a restart found it interrupted.</summary>
    Running,
    /// <summary>The outcome is known but the service had not yet accepted the final update.</summary>
    Finished,
}

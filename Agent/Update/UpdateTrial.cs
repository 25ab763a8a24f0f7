namespace ShelfAgent.Update;

/// <summary>
/// The verdict on this start's trial, shared by <see cref="UpdateGuardService"/> (which decides it, with or without a
/// broker) and the agent-update job (which reports it once the Jobs service is reachable). Completed with the record
/// as committed or rolled back.
/// </summary>
public sealed class UpdateTrial
{
    private readonly TaskCompletionSource<UpdateRecord> _verdict = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The committed or rolled-back record.</summary>
    public Task<UpdateRecord> Verdict => _verdict.Task;

    /// <summary>Sets the verdict (first one wins).</summary>
    public void Decided(UpdateRecord record) => _verdict.TrySetResult(record);
}

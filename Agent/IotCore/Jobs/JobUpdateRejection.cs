namespace ShelfAgent.IotCore.Jobs;

/// <summary>What to do when the service rejects the final update (<see cref="JobRecovery.AfterRejectedUpdate"/>).</summary>
public enum JobUpdateRejection
{
    /// <summary>The execution is gone or already terminal (cancelled, removed, timed out): forget it.</summary>
    Forget,
    /// <summary>The request itself was refused: send the status again with only a short reason.</summary>
    SendBare,
    /// <summary>A passing failure (throttled, internal error): keep the record and try again later.</summary>
    RetryLater,
}

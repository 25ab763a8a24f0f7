namespace ShelfAgent.IotCore.Jobs;

/// <summary>
/// A job execution as notify-next and start-next/accepted describe it (Jobs device MQTT API, "JobExecution").
/// </summary>
/// <param name="JobId">The job's id (<c>[a-zA-Z0-9_-]{1,64}</c>).</param>
/// <param name="Status">Its status when the service sent it.</param>
/// <param name="ExecutionNumber">Which execution of the job on this thing (a job can be re-run).</param>
/// <param name="VersionNumber">The execution's version, incremented on every update.</param>
/// <param name="DocumentJson">The job document as the service sent it (≤ 32 KB), or null if it sent none.</param>
public sealed record JobExecution(string JobId, JobStatus Status, long ExecutionNumber, long VersionNumber, string? DocumentJson);

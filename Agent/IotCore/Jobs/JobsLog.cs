using Microsoft.Extensions.Logging;

namespace ShelfAgent.IotCore.Jobs;

/// <summary>The jobs client's log events (6401–6419).</summary>
internal static partial class JobsLog
{
    [LoggerMessage(
        EventId = 6401,
        Level = LogLevel.Information,
        Message = "Job {JobId} (execution {ExecutionNumber}): starting {Operation}, attempt {Attempt}")]
    public static partial void Starting(ILogger logger, string jobId, long executionNumber, string operation, int attempt);

    [LoggerMessage(EventId = 6402, Level = LogLevel.Information, Message = "Job {JobId}: {Status} ({Reason})")]
    public static partial void Finished(ILogger logger, string jobId, string status, string reason);

    [LoggerMessage(EventId = 6403, Level = LogLevel.Warning, Message = "Job {JobId}: the agent restarted while it was in progress; {Decision}")]
    public static partial void Recovered(ILogger logger, string jobId, string decision);

    [LoggerMessage(
        EventId = 6404,
        Level = LogLevel.Warning,
        Message = "Jobs: {What} failed ({Reason}); trying again on the next connection or notification, or in {RetrySeconds} s")]
    public static partial void RequestFailed(ILogger logger, string what, string reason, int retrySeconds);

    [LoggerMessage(EventId = 6405, Level = LogLevel.Warning, Message = "Job {JobId}: the service refused the final update ({Error}); {Decision}")]
    public static partial void UpdateRejected(ILogger logger, string jobId, string error, string decision);

    [LoggerMessage(EventId = 6406, Level = LogLevel.Warning, Message = "Jobs: {Problem}")]
    public static partial void BadMessage(ILogger logger, string problem);

    [LoggerMessage(
        EventId = 6407,
        Level = LogLevel.Information,
        Message = "Job {JobId} is no longer pending at the service (cancelled, removed or timed out): forgotten")]
    public static partial void Vanished(ILogger logger, string jobId);

    [LoggerMessage(
        EventId = 6409,
        Level = LogLevel.Information,
        Message = "Jobs: no answer from the Jobs service within {Seconds} s (a broker without AWS IoT Jobs, e.g. a development mosquitto?); " +
            "asking again less and less often, up to every 15 min")]
    public static partial void NoJobsService(ILogger logger, int seconds);

    [LoggerMessage(EventId = 6410, Level = LogLevel.Debug, Message = "Jobs: still no answer from the Jobs service; next try in {RetrySeconds} s")]
    public static partial void StillNoJobsService(ILogger logger, int retrySeconds);

    [LoggerMessage(EventId = 6411, Level = LogLevel.Warning, Message = "Job {JobId}: restarting the agent {Why}")]
    public static partial void Restarting(ILogger logger, string jobId, string why);

    [LoggerMessage(
        EventId = 6412,
        Level = LogLevel.Warning,
        Message = "Job {JobId}: the final update was not acknowledged ({Reason}); asking again on the next connection")]
    public static partial void FinalUpdateAgain(ILogger logger, string jobId, string reason);

    [LoggerMessage(
        EventId = 6408,
        Level = LogLevel.Error,
        Message = "Jobs: the job state file {Path} cannot be written ({Reason}): jobs are not taken until it can")]
    public static partial void StateUnwritable(ILogger logger, string path, string reason);
}

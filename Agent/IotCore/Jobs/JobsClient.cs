using System.Buffers;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace ShelfAgent.IotCore.Jobs;

/// <summary>
/// The device side of AWS IoT Jobs (Developer Guide, "Jobs device MQTT API"; the workflow of "Devices and jobs"):
/// listens on notify-next, takes work with start-next (which returns an IN_PROGRESS execution before a QUEUED one),
/// runs one execution at a time through the <see cref="JobDispatcher"/> and reports with update. The execution being
/// worked on is persisted (<see cref="JobStateFile"/>) before the operation starts and when its outcome is known, so a
/// restart finishes or fails it (<see cref="JobRecovery"/>). Work is looked for at start, after every connect, on every
/// notify-next that names an execution, and after a failed request.
/// </summary>
public sealed class JobsClient
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(15);
    private const int FinalUpdateAttempts = 3;
    private readonly IMqttSession _session;
    private readonly JobTopics _topics;
    private readonly JobDispatcher _dispatcher;
    private readonly JobStateFile _state;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly AwsIotRequester _startNext;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long _tokens;
    private TimeSpan _retry = RetryAfter;
    private int _unanswered;

    private readonly Action _restart;
    private readonly string? _identity;

    /// <summary>Creates the client; nothing happens until <see cref="RunAsync"/>.</summary>
    /// <param name="session">The agent's MQTT session.</param>
    /// <param name="topics">The thing's Jobs topics.</param>
    /// <param name="dispatcher">The operations.</param>
    /// <param name="state">Where the execution in progress is persisted.</param>
    /// <param name="time">Clock.</param>
    /// <param name="log">Logs.</param>
    /// <param name="restart">Called after a reported outcome that asks for a restart (the host stops; systemd starts it again).</param>
    /// <param name="identity">The certificate agent.json names at this start (tells an interrupted rotation whether it switched).</param>
    public JobsClient(
        IMqttSession session,
        JobTopics topics,
        JobDispatcher dispatcher,
        JobStateFile state,
        TimeProvider time,
        ILogger log,
        Action? restart = null,
        string? identity = null)
    {
        _identity = identity;
        _restart = restart ?? (() => { });
        _session = session ?? throw new ArgumentNullException(nameof(session));
        _topics = topics ?? throw new ArgumentNullException(nameof(topics));
        _dispatcher = dispatcher ?? throw new ArgumentNullException(nameof(dispatcher));
        _state = state ?? throw new ArgumentNullException(nameof(state));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _log = log ?? throw new ArgumentNullException(nameof(log));
        _startNext = new AwsIotRequester(session, time);
    }

    /// <summary>Asks the client to look for work (after a connect; many calls coalesce into one look).</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Subscribes to notify-next (until the broker answers: <see cref="SubscribeRetry"/>) and works until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await SubscribeRetry.SubscribeAsync(
            _session,
            _topics.NotifyNext,
            MqttQualityOfServiceLevel.AtLeastOnce,
            OnNotifyNext,
            _time,
            (e, pause) => JobsLog.RequestFailed(_log, "subscribe to notify-next", e.Message, (int)Math.Ceiling(pause.TotalSeconds)),
            cancellationToken).ConfigureAwait(false);
        Wake();
        while (await _wake.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            _wake.Reader.TryRead(out _);
            if (await DrainAsync(cancellationToken).ConfigureAwait(false))
            {
                _retry = RetryAfter;
                _unanswered = 0;
            }
            else
            {
                // Offline, throttled or no answer: look again later even if nothing wakes us.
                _ = Task.Delay(_retry, _time, cancellationToken)
                    .ContinueWith(_ => Wake(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            }
        }
    }

    private ValueTask OnNotifyNext(MqttApplicationMessage message)
    {
        if (!JobExecutionParser.TryParse(message.Payload.ToArray(), out var execution, out var problem))
        {
            JobsLog.BadMessage(_log, $"notify-next: {problem}");
        }
        else if (execution is not null)
        {
            Wake();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Reports what is owed, then takes executions until none is pending. False when a request failed.</summary>
    private async Task<bool> DrainAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (saved, problem) = await _state.LoadAsync(cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                JobsLog.BadMessage(_log, $"ignoring an unreadable job state file: {problem}");
            }

            while (!cancellationToken.IsCancellationRequested)
            {
                var token = NextToken();
                var reply = await _startNext.RequestAsync(_topics.StartNext, JobRequestEncoder.StartNext(token, []), token, RequestTimeout, cancellationToken)
                    .ConfigureAwait(false);
                if (!reply.Accepted)
                {
                    JobsLog.RequestFailed(_log, "start-next", reply.Error?.ToString() ?? "rejected", (int)RetryAfter.TotalSeconds);
                    return false;
                }

                if (!JobExecutionParser.TryParse(reply.Payload, out var execution, out problem))
                {
                    JobsLog.BadMessage(_log, $"start-next/accepted: {problem}");
                    return false;
                }

                if (execution is null)
                {
                    if (saved is not null)
                    {
                        // What we were working on is not pending any more: the service ended it.
                        JobsLog.Vanished(_log, saved.JobId);
                        _state.Delete();
                    }

                    return true;
                }

                if (!await WorkAsync(saved, execution, cancellationToken).ConfigureAwait(false))
                {
                    return false;
                }

                saved = null;
            }

            return true;
        }
        catch (TimeoutException)
        {
            // No Jobs service answers (a plain broker): said once, then quietly less often.
            _retry = TimeSpan.FromTicks(Math.Min(MaxRetryAfter.Ticks, _retry.Ticks * (_unanswered == 0 ? 1 : 2)));
            if (_unanswered++ == 0)
            {
                JobsLog.NoJobsService(_log, (int)RequestTimeout.TotalSeconds);
            }
            else
            {
                JobsLog.StillNoJobsService(_log, (int)_retry.TotalSeconds);
            }

            return false;
        }
        catch (Exception e) when (e is Transport.MqttException or AwsIotSubscribeRefusedException or IOException or UnauthorizedAccessException
                                  || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            JobsLog.RequestFailed(_log, "jobs", e.Message, (int)RetryAfter.TotalSeconds);
            return false;
        }
    }

    /// <summary>One execution: decide, persist, run or not, persist the outcome, report it. False when the report must wait.</summary>
    private async Task<bool> WorkAsync(JobRecord? saved, JobExecution execution, CancellationToken cancellationToken)
    {
        var parsed = JobDocumentParser.Parse(execution.DocumentJson);
        var decision = JobRecovery.Decide(saved, execution, parsed.Document?.Operation, _identity);
        if (saved is not null && saved.IsFor(execution))
        {
            var what = decision.Action == JobAction.Run
                ? $"running it again (attempt {decision.Record.Attempts})"
                : $"reporting {JobStatusWire.Name(decision.Outcome!.Status)}";
            JobsLog.Recovered(_log, execution.JobId, what);
        }

        var record = decision.Record;
        await _state.SaveAsync(record, cancellationToken).ConfigureAwait(false);
        var outcome = decision.Outcome;
        // One requester per execution: its update topics are subscribed for this job only, then dropped (AWS allows
        // 50 subscriptions per connection; a device lives through many jobs).
        var updates = new AwsIotRequester(_session, _time);
        try
        {
            if (decision.Action == JobAction.Run)
            {
                var operation = parsed.Document?.Operation ?? "rejected document";
                JobsLog.Starting(_log, execution.JobId, execution.ExecutionNumber, operation, record.Attempts);
                if (parsed.Document is not null)
                {
                    // start-next set IN_PROGRESS; this says what the device is doing, for the operator's console.
                    await UpdateAsync(updates, execution, JobStatus.InProgress, Progress(record, operation), cancellationToken).ConfigureAwait(false);
                }

                var reporter = new Reporter(this, updates, execution, Progress(record, operation));
                outcome = await _dispatcher.RunAsync(parsed, reporter, cancellationToken).ConfigureAwait(false);
                if (outcome.Status == JobStatus.InProgress)
                {
                    // Not finished: the operation goes on after a restart (agent-update's switch); the record stays running.
                    await reporter.ReportAsync(outcome.Details, cancellationToken).ConfigureAwait(false);
                    if (outcome.RestartAfterReport)
                    {
                        JobsLog.Restarting(_log, execution.JobId, "to start the release the current link points at now");
                        _restart();
                    }

                    return false;
                }

                record = JobRecovery.Finished(record, outcome);
                await _state.SaveAsync(record, cancellationToken).ConfigureAwait(false);
            }

            return await ReportAsync(updates, execution, record, outcome!, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await ForgetUpdateTopicsAsync(execution.JobId).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The IN_PROGRESS pairs, repeated first in the final update: whether the service merges statusDetails across updates
    /// or replaces them, the execution then holds at most 10 pairs.
    /// </summary>
    private static KeyValuePair<string, string>[] Progress(JobRecord record, string operation) =>
        [new("operation", operation), new("attempt", record.Attempts.ToString(CultureInfo.InvariantCulture))];

    private async Task<bool> ReportAsync(
        AwsIotRequester updates, JobExecution execution, JobRecord record, JobOutcome outcome, CancellationToken cancellationToken)
    {
        var reason = outcome.Details.FirstOrDefault(d => d.Key == "reason").Value
            ?? string.Join(", ", outcome.Details.Take(2).Select(d => $"{d.Key}={d.Value}"));
        var progress = Progress(record, record.Operation ?? "rejected document");
        var details = progress.Concat(outcome.Details.Where(d => d.Key is not ("operation" or "attempt")));
        var reply = await FinalUpdateAsync(updates, execution, outcome.Status, details, cancellationToken).ConfigureAwait(false);
        if (!reply.Accepted)
        {
            var what = JobRecovery.AfterRejectedUpdate(reply.Error?.ErrorCode);
            var error = reply.Error?.ToString() ?? "rejected";
            JobsLog.UpdateRejected(
                _log,
                execution.JobId,
                error,
                what == JobUpdateRejection.Forget ? "the execution is gone or already final: forgotten"
                : what == JobUpdateRejection.SendBare ? "sending the status with only the reason"
                : "kept, to report again later");
            if (what == JobUpdateRejection.RetryLater)
            {
                return false;
            }

            if (what == JobUpdateRejection.SendBare)
            {
                reply = await UpdateAsync(updates, execution, outcome.Status, [.. progress, new("reason", StatusDetails.Value(reason))], cancellationToken)
                    .ConfigureAwait(false);
                if (!reply.Accepted && JobRecovery.AfterRejectedUpdate(reply.Error?.ErrorCode) == JobUpdateRejection.RetryLater)
                {
                    return false;
                }
            }
        }

        var status = JobStatusWire.Name(outcome.Status);
        JobsLog.Finished(_log, execution.JobId, status, reason);
        _state.Delete();
        if (outcome.RestartAfterReport)
        {
            JobsLog.Restarting(_log, execution.JobId, "to connect with the new certificate");
            _restart();
        }

        return true;
    }

    /// <summary>
    /// The final update, asked again when the connection ended before its PUBACK: a rotation's test connection takes
    /// the client id just before this report, and the agent may notice that only when the request fails; the next
    /// connection then carries it (requests wait there until the reply subscriptions are restored, so a reply is no longer
    /// lost to that race and a missing one is not asked for again here). Asking again is safe: the service accepts the
    /// same terminal status or answers InvalidStateTransition, which <see cref="JobRecovery.AfterRejectedUpdate"/> forgets.
    /// </summary>
    private async Task<AwsIotReply> FinalUpdateAsync(
        AwsIotRequester updates,
        JobExecution execution,
        JobStatus status,
        IEnumerable<KeyValuePair<string, string>> details,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await UpdateAsync(updates, execution, status, details, cancellationToken).ConfigureAwait(false);
            }
            catch (Transport.MqttNotConnectedException e) when (attempt < FinalUpdateAttempts)
            {
                JobsLog.FinalUpdateAgain(_log, execution.JobId, e.Message);
            }
        }
    }

    private Task<AwsIotReply> UpdateAsync(
        AwsIotRequester updates,
        JobExecution execution,
        JobStatus status,
        IEnumerable<KeyValuePair<string, string>> details,
        CancellationToken cancellationToken)
    {
        var token = NextToken();
        var payload = JobRequestEncoder.Update(status, details, execution.ExecutionNumber, token);
        return updates.RequestAsync(_topics.Update(execution.JobId), payload, token, RequestTimeout, cancellationToken);
    }

    private async Task ForgetUpdateTopicsAsync(string jobId)
    {
        foreach (var suffix in (string[])["/accepted", "/rejected"])
        {
            try
            {
                using var bound = new CancellationTokenSource(RequestTimeout);
                await _session.UnsubscribeAsync(_topics.Update(jobId) + suffix, bound.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Best effort: a subscription left behind ends with the session.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    /// <summary>IN_PROGRESS reports of the execution being run, for operations that report progress (<see cref="IJobProgress"/>).</summary>
    private sealed class Reporter(JobsClient client, AwsIotRequester updates, JobExecution execution, KeyValuePair<string, string>[] progress) : IJobProgress
    {
        public string JobId => execution.JobId;

        public async Task ReportAsync(IReadOnlyList<KeyValuePair<string, string>> details, CancellationToken cancellationToken)
        {
            var pairs = progress.Concat(details.Where(d => d.Key is not ("operation" or "attempt")));
            var reply = await client.UpdateAsync(updates, execution, JobStatus.InProgress, pairs, cancellationToken).ConfigureAwait(false);
            if (!reply.Accepted)
            {
                JobsLog.UpdateRejected(client._log, execution.JobId, reply.Error?.ToString() ?? "rejected", "progress only: the job goes on");
            }
        }
    }

    /// <summary>Client tokens: unique per request of this process (Jobs API: up to 64 characters, echoed in the reply).</summary>
    private string NextToken() => $"{_topics.ThingName[..Math.Min(_topics.ThingName.Length, 40)]}-{Environment.ProcessId}-{Interlocked.Increment(ref _tokens)}";
}

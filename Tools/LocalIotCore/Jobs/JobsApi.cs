using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ShelfAgent.LocalIot.Jobs;

/// <summary>
/// The Jobs device MQTT API (developer guide "Jobs device MQTT API operations", API reference
/// "UpdateJobExecution"): jobs/get, jobs/start-next, jobs/{jobId}/get, jobs/{jobId}/update, and the notifications
/// jobs/notify (pending list changed) and jobs/notify-next (next pending execution changed). Rejections carry
/// {code, message, clientToken, timestamp[, executionState]} with the documented codes InvalidJson, InvalidRequest,
/// InvalidStateTransition, ResourceNotFound, VersionMismatch. statusDetails: at most 10 pairs, keys
/// [a-zA-Z0-9:_-]{1,128}, values 1–128 characters.
/// </summary>
public sealed partial class JobsApi(TimeProvider time)
{
    public const int MaxStatusDetails = 10;
    public const int MaxStatusDetailLength = 128;
    private const string Prefix = "$aws/things/";
    private const string Infix = "/jobs/";
    private readonly Lock _gate = new();
    private readonly List<JobExecutionState> _executions = [];
    private long _changes;

    /// <summary>Grows with every change of an execution: a state folder is written again when it moved.</summary>
    public long Changes => Interlocked.Read(ref _changes);

    /// <summary>(thing, jobId or null, operation) when the topic is a jobs request: get, start-next, or {jobId}/get|update.</summary>
    public static (string Thing, string? JobId, string Operation)? Parse(string topic)
    {
        if (!topic.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = topic[Prefix.Length..];
        var infix = rest.IndexOf(Infix, StringComparison.Ordinal);
        if (infix <= 0)
        {
            return null;
        }

        var thing = rest[..infix];
        var parts = rest[(infix + Infix.Length)..].Split('/');
        return parts switch
        {
            ["get"] => (thing, null, "get"),
            ["start-next"] => (thing, null, "start-next"),
            [var job, "get"] => (thing, job, "get"),
            [var job, "update"] => (thing, job, "update"),
            _ => null,
        };
    }

    /// <summary>Queues a job execution for the thing; returns the notifications to publish.</summary>
    public IReadOnlyList<IotReply> CreateJob(string thing, string jobId, JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        lock (_gate)
        {
            var before = NextPending(thing);
            var now = Now();
            _executions.Add(new JobExecutionState(jobId, thing, document) { QueuedAt = now, LastUpdatedAt = now });
            _executions[^1].History.Add(JobExecutionStatus.Queued);
            Interlocked.Increment(ref _changes);
            return Notifications(thing, before, listChanged: true);
        }
    }

    /// <summary>Cancels a job execution from the cloud side (CANCELED, terminal); returns the notifications.</summary>
    public IReadOnlyList<IotReply> CancelJob(string thing, string jobId)
    {
        lock (_gate)
        {
            var before = NextPending(thing);
            var execution = Find(thing, jobId) ?? throw new ArgumentException($"no job {jobId} for {thing}", nameof(jobId));
            Transition(execution, JobExecutionStatus.Canceled);
            return Notifications(thing, before, listChanged: true);
        }
    }

    /// <summary>Every execution of every thing, in queue order: what a state folder keeps.</summary>
    public IReadOnlyList<JobExecution> Snapshot()
    {
        lock (_gate)
        {
            return [.. _executions.Select(e => e.Snapshot())];
        }
    }

    /// <summary>The executions of <paramref name="thing"/>, in queue order.</summary>
    public IReadOnlyList<JobExecution> Executions(string thing)
    {
        lock (_gate)
        {
            return [.. _executions.Where(e => e.Thing == thing).Select(e => e.Snapshot())];
        }
    }

    /// <summary>Puts back executions a state folder kept (before the service answers anything).</summary>
    public void Restore(IEnumerable<JobExecution> executions)
    {
        ArgumentNullException.ThrowIfNull(executions);
        lock (_gate)
        {
            _executions.AddRange(executions.Select(JobExecutionState.From));
        }
    }

    public JobExecution? Snapshot(string thing, string jobId)
    {
        lock (_gate)
        {
            return Find(thing, jobId)?.Snapshot();
        }
    }

    public IReadOnlyList<IotReply> Handle(string topic, ReadOnlySpan<byte> payload)
    {
        var (thing, jobId, operation) = Parse(topic) ?? throw new ArgumentException("not a jobs topic", nameof(topic));
        JsonObject? request = null;
        try
        {
            request = payload.IsEmpty ? [] : JsonNode.Parse(payload) as JsonObject;
        }
        catch (JsonException)
        {
        }

        if (request is null)
        {
            return [Rejected(topic, "InvalidJson", "The request payload is not valid JSON.", null, null)];
        }

        var token = request["clientToken"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : null;
        if (token is not null && Encoding.UTF8.GetByteCount(token) > 64)
        {
            return [Rejected(topic, "InvalidRequest", "clientToken is longer than 64 bytes.", null, null)];
        }

        lock (_gate)
        {
            return (jobId, operation) switch
            {
                (null, "get") => [GetPending(topic, thing, token)],
                (null, _) => StartNext(topic, thing, request, token),
                (_, "get") => [Describe(topic, thing, jobId, request, token)],
                _ => Update(topic, thing, jobId, request, token),
            };
        }
    }

    private IotReply GetPending(string topic, string thing, string? token)
    {
        var pending = Pending(thing);
        var body = new JsonObject
        {
            ["inProgressJobs"] = new JsonArray([.. pending.Where(e => e.Status == JobExecutionStatus.InProgress).Select(e => (JsonNode)e.Summary())]),
            ["queuedJobs"] = new JsonArray([.. pending.Where(e => e.Status == JobExecutionStatus.Queued).Select(e => (JsonNode)e.Summary())]),
        };
        return Accepted(topic, body, token);
    }

    private List<IotReply> StartNext(string topic, string thing, JsonObject request, string? token)
    {
        var before = NextPending(thing);
        if (!TryStatusDetails(request, out var details, out var problem))
        {
            return [Rejected(topic, "InvalidRequest", problem, token, null)];
        }

        var body = new JsonObject();
        if (before is not null)
        {
            // Developer guide: a QUEUED execution becomes IN_PROGRESS with the given statusDetails; one already
            // IN_PROGRESS is returned unchanged.
            if (before.Status == JobExecutionStatus.Queued)
            {
                if (details is not null)
                {
                    before.StatusDetails = details;
                }

                Transition(before, JobExecutionStatus.InProgress);
            }

            body["execution"] = before.Full(includeDocument: true);
        }

        var replies = new List<IotReply> { Accepted(topic, body, token) };
        replies.AddRange(Notifications(thing, before, listChanged: before is not null));
        return replies;
    }

    private IotReply Describe(string topic, string thing, string jobId, JsonObject request, string? token)
    {
        var execution = Find(thing, jobId);
        if (execution is null)
        {
            return Rejected(topic, "ResourceNotFound", $"Job execution {jobId} for {thing} not found.", token, null);
        }

        var include = request["includeJobDocument"] is not JsonValue v || !v.TryGetValue<bool>(out var b) || b;
        return Accepted(topic, new JsonObject { ["execution"] = execution.Full(include) }, token);
    }

    private List<IotReply> Update(string topic, string thing, string jobId, JsonObject request, string? token)
    {
        var execution = Find(thing, jobId);
        if (execution is null)
        {
            return [Rejected(topic, "ResourceNotFound", $"Job execution {jobId} for {thing} not found.", token, null)];
        }

        var statusText = request["status"] is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>() : null;
        if (JobExecution.ParseDeviceStatus(statusText) is not { } status)
        {
            return [Rejected(topic, "InvalidRequest", "status must be IN_PROGRESS, SUCCEEDED, FAILED or REJECTED.", token, null)];
        }

        if (!TryStatusDetails(request, out var details, out var problem))
        {
            return [Rejected(topic, "InvalidRequest", problem, token, null)];
        }

        if (request["expectedVersion"] is JsonValue ev && ev.TryGetValue<long>(out var expected) && expected != execution.VersionNumber)
        {
            return [Rejected(topic, "VersionMismatch", "The expected version does not match the job execution's version.", token, execution.State())];
        }

        if (request["executionNumber"] is JsonValue en && en.TryGetValue<long>(out var number) && number != execution.ExecutionNumber)
        {
            return [Rejected(topic, "ResourceNotFound", $"Execution number {number} of {jobId} not found.", token, null)];
        }

        if (execution.Snapshot().IsTerminal)
        {
            return [Rejected(topic, "InvalidStateTransition",
                $"Job execution {jobId} is {JobExecution.Wire(execution.Status)}: it cannot become {statusText}.", token, execution.State())];
        }

        var before = NextPending(thing);
        if (details is not null)
        {
            // API reference UpdateJobExecution: the given statusDetails are merged into the existing ones.
            var merged = new Dictionary<string, string>(execution.StatusDetails, StringComparer.Ordinal);
            foreach (var (key, value) in details)
            {
                merged[key] = value;
            }

            if (merged.Count > MaxStatusDetails)
            {
                return [Rejected(topic, "InvalidRequest", $"statusDetails may hold at most {MaxStatusDetails} pairs.", token, null)];
            }

            execution.StatusDetails = merged;
        }

        Transition(execution, status);
        var body = new JsonObject();
        if (request["includeJobExecutionState"] is JsonValue ie && ie.TryGetValue<bool>(out var withState) && withState)
        {
            body["executionState"] = execution.State();
        }

        if (request["includeJobDocument"] is JsonValue id && id.TryGetValue<bool>(out var withDocument) && withDocument)
        {
            body["jobDocument"] = execution.Document.DeepClone();
        }

        var replies = new List<IotReply> { Accepted(topic, body, token) };
        replies.AddRange(Notifications(thing, before, listChanged: execution.Snapshot().IsTerminal));
        return replies;
    }

    private static bool TryStatusDetails(JsonObject request, out Dictionary<string, string>? details, out string problem)
    {
        details = null;
        problem = "";
        if (request["statusDetails"] is not { } node)
        {
            return true;
        }

        if (node is not JsonObject pairs)
        {
            problem = "statusDetails must be an object of strings.";
            return false;
        }

        if (pairs.Count > MaxStatusDetails)
        {
            problem = $"statusDetails may hold at most {MaxStatusDetails} pairs.";
            return false;
        }

        details = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            if (!DetailKey().IsMatch(key))
            {
                problem = $"statusDetails key '{key}' must match [a-zA-Z0-9:_-]{{1,{MaxStatusDetailLength}}}.";
                return false;
            }

            if (value is not JsonValue v
                || v.GetValueKind() != JsonValueKind.String
                || v.GetValue<string>() is not { Length: > 0 and <= MaxStatusDetailLength } text)
            {
                problem = $"statusDetails value of '{key}' must be a string of 1 to {MaxStatusDetailLength} characters.";
                return false;
            }

            details[key] = text;
        }

        return true;
    }

    [GeneratedRegex("^[a-zA-Z0-9:_-]{1,128}$")]
    private static partial Regex DetailKey();

    private List<JobExecutionState> Pending(string thing) =>
        [.. _executions.Where(e => e.Thing == thing && e.Status is JobExecutionStatus.Queued or JobExecutionStatus.InProgress)];

    /// <summary>Developer guide (start-next): IN_PROGRESS executions first, then QUEUED, each in queue order.</summary>
    private JobExecutionState? NextPending(string thing)
    {
        var pending = Pending(thing);
        return pending.FirstOrDefault(e => e.Status == JobExecutionStatus.InProgress) ?? pending.FirstOrDefault();
    }

    private JobExecutionState? Find(string thing, string jobId) => _executions.LastOrDefault(e => e.Thing == thing && e.JobId == jobId);

    private List<IotReply> Notifications(string thing, JobExecutionState? before, bool listChanged)
    {
        var replies = new List<IotReply>();
        var after = NextPending(thing);
        if (listChanged)
        {
            var pending = Pending(thing);
            var jobs = new JsonObject();
            foreach (var group in pending.GroupBy(e => e.Status))
            {
                jobs[JobExecution.Wire(group.Key)] = new JsonArray([.. group.Select(e => (JsonNode)e.Summary())]);
            }

            replies.Add(new IotReply($"{Prefix}{thing}/jobs/notify", new JsonObject { ["jobs"] = jobs, ["timestamp"] = Now() }));
        }

        // notify-next: "sent when the next pending job execution changes" — a different execution, or none.
        if (!ReferenceEquals(before, after) || (before is not null && before.Snapshot().IsTerminal))
        {
            var body = new JsonObject { ["timestamp"] = Now() };
            if (after is not null)
            {
                body["execution"] = after.Full(includeDocument: true);
            }

            replies.Add(new IotReply($"{Prefix}{thing}/jobs/notify-next", body));
        }

        return replies;
    }

    private void Transition(JobExecutionState execution, JobExecutionStatus status)
    {
        var now = Now();
        if (status == JobExecutionStatus.InProgress && execution.StartedAt is null)
        {
            execution.StartedAt = now;
        }

        execution.Status = status;
        execution.LastUpdatedAt = now;
        execution.VersionNumber++;
        execution.History.Add(status);
        Interlocked.Increment(ref _changes);
    }

    private long Now() => time.GetUtcNow().ToUnixTimeSeconds();

    private IotReply Accepted(string topic, JsonObject body, string? token)
    {
        body["timestamp"] = Now();
        if (token is not null)
        {
            body["clientToken"] = token;
        }

        return new IotReply(topic + "/accepted", body);
    }

    private IotReply Rejected(string topic, string code, string message, string? token, JsonObject? state)
    {
        var body = new JsonObject { ["code"] = code, ["message"] = message, ["timestamp"] = Now() };
        if (token is not null)
        {
            body["clientToken"] = token;
        }

        if (state is not null)
        {
            body["executionState"] = state;
        }

        return new IotReply(topic + "/rejected", body);
    }
}

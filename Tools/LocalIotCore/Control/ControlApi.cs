using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ShelfAgent.LocalIot.Access;
using ShelfAgent.LocalIot.Jobs;
using ShelfAgent.LocalIot.Pki;
using ShelfAgent.LocalIot.Registry;
using ShelfAgent.LocalIot.Shadow;

namespace ShelfAgent.LocalIot.Control;

/// <summary>
/// Answers the control topics (<see cref="ControlTopics"/>): what the AWS console or CLI does to the cloud side —
/// register things, queue and cancel jobs, change a desired shadow, look at both. Like the device APIs it returns the
/// messages to publish (the reply, and whatever devices hear: notify-next, update/delta); the service loop brings the
/// broker's ACL and the state folder up to date before it publishes them.
/// </summary>
internal sealed partial class ControlApi(
    IotRegistry registry,
    ShadowApi shadows,
    JobsApi jobs,
    Func<CertificateAuthority> signer,
    Action<string, IdentityKind> issued,
    TimeProvider time)
{
    /// <summary>Lifetime of the certificates it signs.</summary>
    public static readonly TimeSpan CertificateLifetime = TimeSpan.FromDays(365);

    public IReadOnlyList<IotReply> Handle(string topic, ReadOnlySpan<byte> payload)
    {
        var operation = ControlTopics.Parse(topic) ?? throw new ArgumentException("not a control topic", nameof(topic));
        JsonObject? request = null;
        try
        {
            request = JsonNode.Parse(payload) as JsonObject;
        }
        catch (JsonException)
        {
        }

        if (request is null)
        {
            return [Rejected(topic, null, "InvalidJson", "The request is not a JSON object.")];
        }

        var token = Text(request, "clientToken");
        try
        {
            return operation switch
            {
                ControlOperation.RegisterThing => [RegisterThing(topic, token, request)],
                ControlOperation.RegisterObserver => [RegisterObserver(topic, token, request)],
                ControlOperation.CreateJob => CreateJob(topic, token, request),
                ControlOperation.CancelJob => CancelJob(topic, token, request),
                ControlOperation.DescribeJob => [DescribeJob(topic, token, request)],
                ControlOperation.ListJobs => [ListJobs(topic, token, request)],
                ControlOperation.UpdateShadow => UpdateShadow(topic, token, request),
                _ => [GetShadow(topic, token, request)],
            };
        }
        catch (ControlRefusal refusal)
        {
            return [Rejected(topic, token, refusal.Code, refusal.Message)];
        }
    }

    private IotReply RegisterThing(string topic, string? token, JsonObject request)
    {
        var thing = ThingName(request, mustExist: false);
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request["attributes"] is JsonObject given)
        {
            foreach (var (key, value) in given)
            {
                attributes[key] = value is JsonValue v && v.GetValueKind() == JsonValueKind.String
                    ? v.GetValue<string>()
                    : throw new ControlRefusal("InvalidRequest", $"attribute {key} must be a string");
            }
        }

        var reply = new JsonObject { ["thingName"] = thing };
        var csr = Text(request, "certificateSigningRequest");
        var certificate = csr is null ? null : Sign(csr, thing);
        registry.PutThing(new RegisteredThing(thing, attributes));
        if (certificate is not null)
        {
            registry.AddCertificate(certificate);
            registry.Attach(certificate.Id, thing);
            reply["certificateId"] = certificate.Id;
            reply["certificatePem"] = certificate.Pem;
        }

        return Accepted(topic, token, reply);
    }

    private IotReply RegisterObserver(string topic, string? token, JsonObject request)
    {
        var name = Text(request, "name") ?? throw new ControlRefusal("InvalidRequest", "name is required");
        if (!ThingNamePattern().IsMatch(name) || name == LocalIotCore.ServiceIdentity || registry.Thing(name) is not null)
        {
            throw new ControlRefusal("InvalidRequest", $"'{name}' cannot name an observer (a thing's or the service's name, or not [a-zA-Z0-9:_-]{{1,128}})");
        }

        var csr = Text(request, "certificateSigningRequest") ?? throw new ControlRefusal("InvalidRequest", "certificateSigningRequest is required");
        var certificate = Sign(csr, name);
        issued(name, IdentityKind.Observer);
        return Accepted(topic, token, new JsonObject { ["name"] = name, ["certificateId"] = certificate.Id, ["certificatePem"] = certificate.Pem });
    }

    private List<IotReply> CreateJob(string topic, string? token, JsonObject request)
    {
        var thing = ThingName(request, mustExist: true);
        var jobId = Text(request, "jobId") ?? throw new ControlRefusal("InvalidRequest", "jobId is required");
        // CreateJob's jobId: [a-zA-Z0-9_-]{1,64}, unique in the account.
        if (!JobIdPattern().IsMatch(jobId))
        {
            throw new ControlRefusal("InvalidRequest", $"jobId '{jobId}' must match [a-zA-Z0-9_-]{{1,64}}");
        }

        if (jobs.Snapshot().Any(e => e.JobId == jobId))
        {
            throw new ControlRefusal("ResourceAlreadyExists", $"a job with id {jobId} already exists: use another id");
        }

        if (request["document"] is not JsonObject document)
        {
            throw new ControlRefusal("InvalidRequest", "document must be a JSON object (the job document)");
        }

        // Jobs API quota: a job document is at most 32 KB.
        if (System.Text.Encoding.UTF8.GetByteCount(document.ToJsonString()) > 32 * 1024)
        {
            throw new ControlRefusal("InvalidRequest", "the job document is over 32 KB");
        }

        var replies = new List<IotReply>(jobs.CreateJob(thing, jobId, (JsonObject)document.DeepClone()));
        replies.Add(Accepted(
            topic, token, new JsonObject { ["thingName"] = thing, ["jobId"] = jobId, ["execution"] = Describe(jobs.Snapshot(thing, jobId)!) }));
        return replies;
    }

    private List<IotReply> CancelJob(string topic, string? token, JsonObject request)
    {
        var (thing, execution) = Execution(request);
        if (execution.IsTerminal)
        {
            throw new ControlRefusal("InvalidStateTransition", $"job {execution.JobId} on {thing} is already {JobExecution.Wire(execution.Status)}");
        }

        var replies = new List<IotReply>(jobs.CancelJob(thing, execution.JobId));
        replies.Add(Accepted(topic, token, new JsonObject { ["execution"] = Describe(jobs.Snapshot(thing, execution.JobId)!) }));
        return replies;
    }

    private IotReply DescribeJob(string topic, string? token, JsonObject request) =>
        Accepted(topic, token, new JsonObject { ["execution"] = Describe(Execution(request).Execution) });

    private IotReply ListJobs(string topic, string? token, JsonObject request)
    {
        var thing = ThingName(request, mustExist: true);
        return Accepted(topic, token, new JsonObject
        {
            ["thingName"] = thing,
            ["executions"] = new JsonArray([.. jobs.Executions(thing).Select(e => (JsonNode)Describe(e, withDocument: false))]),
        });
    }

    private List<IotReply> UpdateShadow(string topic, string? token, JsonObject request)
    {
        var thing = ThingName(request, mustExist: true);
        if (request["state"] is not JsonObject state)
        {
            throw new ControlRefusal("InvalidRequest", "state is required: {\"state\":{\"desired\":{…}}}");
        }

        var update = new JsonObject { ["state"] = state.DeepClone() };
        if (request["version"] is { } version)
        {
            update["version"] = version.DeepClone();
        }

        var replies = shadows.UpdateFromService(thing, update);
        var answer = replies[0];
        if (answer.Topic.EndsWith("/rejected", StringComparison.Ordinal))
        {
            // The shadow service's own error ({code, message}): 400, 409, 413 …
            return [Rejected(topic, token, answer.Payload["code"]?.ToJsonString() ?? "400", answer.Payload["message"]?.GetValue<string>() ?? "rejected")];
        }

        var body = (JsonObject)answer.Payload.DeepClone();
        body.Remove("clientToken");
        return [.. replies, Accepted(topic, token, body)];
    }

    private IotReply GetShadow(string topic, string? token, JsonObject request)
    {
        var thing = ThingName(request, mustExist: true);
        var document = shadows.Document(thing) ?? throw new ControlRefusal("ResourceNotFound", $"{thing} has no shadow yet");
        document["thingName"] = thing;
        return Accepted(topic, token, document);
    }

    private IotCertificate Sign(string csrPem, string commonName)
    {
        try
        {
            using var certificate = CsrSigner.Sign(csrPem, signer(), time.GetUtcNow(), CertificateLifetime);
            // mosquitto takes the CN as the user name, and the ACL is written per user name.
            var cn = certificate.GetNameInfo(X509NameType.SimpleName, false);
            if (cn != commonName)
            {
                throw new ControlRefusal(
                    "InvalidCsr", $"the CSR's CN is '{cn}': it must be '{commonName}' (the broker knows a client by its certificate's CN)");
            }

            return new IotCertificate(CsrSigner.CertificateId(certificate), certificate.ExportCertificatePem() + "\n", cn);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new ControlRefusal("InvalidCsr", "The certificate signing request is not valid: " + e.Message);
        }
    }

    private string ThingName(JsonObject request, bool mustExist)
    {
        var thing = Text(request, "thingName") ?? throw new ControlRefusal("InvalidRequest", "thingName is required");
        // CreateThing: thingName [a-zA-Z0-9:_-]{1,128}.
        if (!ThingNamePattern().IsMatch(thing))
        {
            throw new ControlRefusal("InvalidRequest", $"thingName '{thing}' must match [a-zA-Z0-9:_-]{{1,128}}");
        }

        if (mustExist && registry.Thing(thing) is null)
        {
            var known = registry.Things().Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
            throw new ControlRefusal("ResourceNotFound", $"no thing {thing} (registered: {(known.Count == 0 ? "none" : string.Join(", ", known))})");
        }

        return thing;
    }

    private (string Thing, JobExecution Execution) Execution(JsonObject request)
    {
        var thing = ThingName(request, mustExist: true);
        var jobId = Text(request, "jobId") ?? throw new ControlRefusal("InvalidRequest", "jobId is required");
        var execution = jobs.Snapshot(thing, jobId) ?? throw new ControlRefusal("ResourceNotFound", $"no job {jobId} for {thing}");
        return (thing, execution);
    }

    /// <summary>A JobExecution as DescribeJobExecution shows it, plus the statuses it went through.</summary>
    public static JsonObject Describe(JobExecution execution, bool withDocument = true)
    {
        var details = new JsonObject();
        foreach (var (key, value) in execution.StatusDetails)
        {
            details[key] = value;
        }

        var json = new JsonObject
        {
            ["jobId"] = execution.JobId,
            ["thingName"] = execution.Thing,
            ["status"] = JobExecution.Wire(execution.Status),
            ["statusDetails"] = details,
            ["versionNumber"] = execution.VersionNumber,
            ["queuedAt"] = execution.QueuedAt,
            ["startedAt"] = execution.StartedAt,
            ["lastUpdatedAt"] = execution.LastUpdatedAt,
            ["history"] = new JsonArray([.. execution.History.Select(s => (JsonNode)JobExecution.Wire(s))]),
        };
        if (withDocument)
        {
            json["jobDocument"] = execution.Document.DeepClone();
        }

        return json;
    }

    private static string? Text(JsonObject request, string name) =>
        request[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static IotReply Accepted(string topic, string? token, JsonObject body)
    {
        if (token is not null)
        {
            body["clientToken"] = token;
        }

        return new IotReply(topic + "/accepted", body);
    }

    private static IotReply Rejected(string topic, string? token, string code, string message)
    {
        var body = new JsonObject { ["code"] = code, ["message"] = message };
        if (token is not null)
        {
            body["clientToken"] = token;
        }

        return new IotReply(topic + "/rejected", body);
    }

    [GeneratedRegex("^[a-zA-Z0-9:_-]{1,128}$")]
    private static partial Regex ThingNamePattern();

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex JobIdPattern();
}

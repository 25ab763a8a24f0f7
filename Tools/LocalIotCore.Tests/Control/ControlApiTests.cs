using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ShelfAgent.LocalIot.Access;
using ShelfAgent.LocalIot.Control;
using ShelfAgent.LocalIot.Jobs;
using ShelfAgent.LocalIot.Pki;
using ShelfAgent.LocalIot.Registry;
using ShelfAgent.LocalIot.Shadow;

namespace ShelfAgent.LocalIot.Tests.Control;

/// <summary>The control topics' answers, without a broker: what a second process may ask a running core.</summary>
public sealed class ControlApiTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
    private readonly CertificateAuthority _ca = CertificateAuthority.Create("CA " + Guid.NewGuid().ToString("N")[..8]);
    private readonly IotRegistry _registry = new();
    private readonly ShadowApi _shadows;
    private readonly JobsApi _jobs;
    private readonly Dictionary<string, IdentityKind> _issued = [];
    private readonly ControlApi _api;

    public ControlApiTests()
    {
        _shadows = new ShadowApi(_time);
        _jobs = new JobsApi(_time);
        _api = new ControlApi(_registry, _shadows, _jobs, () => _ca, (name, kind) => _issued[name] = kind, _time);
    }

    [Fact]
    public void Register_thing_with_a_csr_signs_it_and_attaches_the_active_certificate()
    {
        var (csr, key) = SigningRequest.Create("shelf-1");
        using (key)
        {
            var reply = Single(ControlOperation.RegisterThing, new JsonObject
            {
                ["thingName"] = "shelf-1",
                ["attributes"] = new JsonObject { ["storeId"] = "s1" },
                ["certificateSigningRequest"] = csr,
            });

            Assert.EndsWith("/accepted", reply.Topic, StringComparison.Ordinal);
            var certificate = _registry.Certificate(reply.Payload["certificateId"]!.GetValue<string>())!;
            Assert.Equal((CertificateStatus.Active, "shelf-1"), (certificate.Status, certificate.Thing));
            Assert.Equal("s1", _registry.Thing("shelf-1")!.Attributes["storeId"]);
            Assert.Equal("t", reply.Payload["clientToken"]!.GetValue<string>());
        }
    }

    [Fact]
    public void Register_thing_refuses_a_csr_whose_cn_is_not_the_thing_name()
    {
        var (csr, key) = SigningRequest.Create("someone-else");
        using (key)
        {
            var reply = Single(ControlOperation.RegisterThing, new JsonObject { ["thingName"] = "shelf-1", ["certificateSigningRequest"] = csr });

            Assert.Equal(("InvalidCsr", 0), (reply.Payload["code"]!.GetValue<string>(), _registry.Certificates().Count));
            Assert.Null(_registry.Thing("shelf-1"));
        }
    }

    [Fact]
    public void Create_job_queues_it_notifies_the_device_and_refuses_an_unknown_thing_or_a_used_id()
    {
        _registry.PutThing(new RegisteredThing("shelf-1", new Dictionary<string, string>()));
        var document = new JsonObject { ["operation"] = "config-update", ["changes"] = new JsonObject() };

        var replies = Handle(ControlOperation.CreateJob, new JsonObject { ["thingName"] = "shelf-1", ["jobId"] = "cfg-1", ["document"] = document });
        var unknown = Single(
            ControlOperation.CreateJob, new JsonObject { ["thingName"] = "shelf-9", ["jobId"] = "cfg-2", ["document"] = document.DeepClone() });
        var again = Single(ControlOperation.CreateJob, new JsonObject { ["thingName"] = "shelf-1", ["jobId"] = "cfg-1", ["document"] = document.DeepClone() });

        Assert.Contains(replies, r => r.Topic == "$aws/things/shelf-1/jobs/notify-next");
        Assert.Equal("QUEUED", replies[^1].Payload["execution"]!["status"]!.GetValue<string>());
        Assert.Equal(JobExecutionStatus.Queued, _jobs.Snapshot("shelf-1", "cfg-1")!.Status);
        Assert.Equal("ResourceNotFound", unknown.Payload["code"]!.GetValue<string>());
        Assert.Contains("registered: shelf-1", unknown.Payload["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("ResourceAlreadyExists", again.Payload["code"]!.GetValue<string>());
    }

    [Fact]
    public void Update_shadow_publishes_the_delta_to_the_device_and_get_shadow_shows_it()
    {
        _registry.PutThing(new RegisteredThing("shelf-1", new Dictionary<string, string>()));

        var replies = Handle(ControlOperation.UpdateShadow, new JsonObject
        {
            ["thingName"] = "shelf-1",
            ["state"] = JsonNode.Parse("""{"desired":{"Sampling":{"IntervalMs":2000}}}"""),
        });
        var shown = Single(ControlOperation.GetShadow, new JsonObject { ["thingName"] = "shelf-1" });

        Assert.Equal(["$aws/things/shelf-1/shadow/update/accepted", "$aws/things/shelf-1/shadow/update/documents", "$aws/things/shelf-1/shadow/update/delta",
            ControlTopics.Request(ControlOperation.UpdateShadow) + "/accepted"], replies.Select(r => r.Topic));
        Assert.Equal(2000, shown.Payload["state"]!["delta"]!["Sampling"]!["IntervalMs"]!.GetValue<int>());
    }

    [Fact]
    public void Describe_job_shows_the_statuses_it_went_through_and_cancel_refuses_a_finished_one()
    {
        _registry.PutThing(new RegisteredThing("shelf-1", new Dictionary<string, string>()));
        _jobs.CreateJob("shelf-1", "j1", new JsonObject { ["operation"] = "report-diagnostics" });
        _jobs.Handle("$aws/things/shelf-1/jobs/start-next", "{}"u8);
        _jobs.Handle("$aws/things/shelf-1/jobs/j1/update", """{"status":"SUCCEEDED","statusDetails":{"operation":"report-diagnostics"}}"""u8);

        var described = Single(ControlOperation.DescribeJob, new JsonObject { ["thingName"] = "shelf-1", ["jobId"] = "j1" });
        var cancel = Single(ControlOperation.CancelJob, new JsonObject { ["thingName"] = "shelf-1", ["jobId"] = "j1" });

        var execution = described.Payload["execution"]!;
        Assert.Equal(["QUEUED", "IN_PROGRESS", "SUCCEEDED"], execution["history"]!.AsArray().Select(h => h!.GetValue<string>()));
        Assert.Equal("report-diagnostics", execution["statusDetails"]!["operation"]!.GetValue<string>());
        Assert.Equal("InvalidStateTransition", cancel.Payload["code"]!.GetValue<string>());
    }

    [Fact]
    public void Register_observer_issues_a_read_only_identity_but_never_under_a_thing_name()
    {
        _registry.PutThing(new RegisteredThing("shelf-1", new Dictionary<string, string>()));
        var (csr, key) = SigningRequest.Create("viewer");
        var (thingCsr, thingKey) = SigningRequest.Create("shelf-1");
        using (key)
        using (thingKey)
        {
            var viewer = Single(ControlOperation.RegisterObserver, new JsonObject { ["name"] = "viewer", ["certificateSigningRequest"] = csr });
            var thing = Single(ControlOperation.RegisterObserver, new JsonObject { ["name"] = "shelf-1", ["certificateSigningRequest"] = thingCsr });

            Assert.EndsWith("/accepted", viewer.Topic, StringComparison.Ordinal);
            Assert.Equal(IdentityKind.Observer, _issued["viewer"]);
            Assert.Equal("InvalidRequest", thing.Payload["code"]!.GetValue<string>());
        }
    }

    public void Dispose() => _ca.Dispose();

    private IReadOnlyList<IotReply> Handle(ControlOperation operation, JsonObject request)
    {
        request["clientToken"] = "t";
        return _api.Handle(ControlTopics.Request(operation), Encoding.UTF8.GetBytes(request.ToJsonString()));
    }

    private IotReply Single(ControlOperation operation, JsonObject request) => Assert.Single(Handle(operation, request));
}

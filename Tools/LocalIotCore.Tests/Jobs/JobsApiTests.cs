using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ShelfAgent.LocalIot.Jobs;

namespace ShelfAgent.LocalIot.Tests.Jobs;

/// <summary>The fixture's jobs rules against the "Jobs device MQTT API operations" page, without a broker.</summary>
public sealed class JobsApiTests
{
    private const string Jobs = "$aws/things/t1/jobs/";
    private readonly JobsApi _api = new(new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)));

    [Fact]
    public void Creating_a_job_notifies_next_and_start_next_moves_it_to_in_progress()
    {
        var notices = _api.CreateJob("t1", "job-1", JsonNode.Parse("""{"operation":"report-diagnostics"}""")!.AsObject());
        var next = notices.Single(n => n.Topic == Jobs + "notify-next");
        Assert.Equal("job-1", next.Payload["execution"]!["jobId"]!.GetValue<string>());
        Assert.Equal("QUEUED", next.Payload["execution"]!["status"]!.GetValue<string>());
        Assert.Equal("report-diagnostics", next.Payload["execution"]!["jobDocument"]!["operation"]!.GetValue<string>());

        var started = Send("start-next", """{"statusDetails":{"step":"begin"},"clientToken":"c1"}""")[0];
        Assert.Equal(Jobs + "start-next/accepted", started.Topic);
        Assert.Equal("IN_PROGRESS", started.Payload["execution"]!["status"]!.GetValue<string>());
        Assert.Equal("begin", started.Payload["execution"]!["statusDetails"]!["step"]!.GetValue<string>());
        Assert.Equal("c1", started.Payload["clientToken"]!.GetValue<string>());
        Assert.Equal(2, _api.Snapshot("t1", "job-1")!.VersionNumber);
    }

    [Fact]
    public void Start_next_without_pending_jobs_answers_without_execution()
    {
        var reply = Send("start-next", "{}").Single();
        Assert.Equal(Jobs + "start-next/accepted", reply.Topic);
        Assert.Null(reply.Payload["execution"]);
    }

    [Fact]
    public void Update_with_a_stale_expected_version_is_rejected_with_VersionMismatch_and_the_current_state()
    {
        _api.CreateJob("t1", "job-1", []);
        Send("start-next", "{}");
        var rejected = Send("job-1/update", """{"status":"SUCCEEDED","expectedVersion":1}""").Single();
        Assert.Equal(Jobs + "job-1/update/rejected", rejected.Topic);
        Assert.Equal("VersionMismatch", rejected.Payload["code"]!.GetValue<string>());
        Assert.Equal(2, rejected.Payload["executionState"]!["versionNumber"]!.GetValue<long>());
        Assert.Equal(JobExecutionStatus.InProgress, _api.Snapshot("t1", "job-1")!.Status);
    }

    [Fact]
    public void Terminal_execution_accepts_no_further_update_and_the_next_job_is_notified()
    {
        _api.CreateJob("t1", "job-1", []);
        _api.CreateJob("t1", "job-2", []);
        Send("start-next", "{}");
        var done = Send("job-1/update", """{"status":"SUCCEEDED","expectedVersion":2,"statusDetails":{"result":"ok"}}""");
        Assert.Equal(Jobs + "job-1/update/accepted", done[0].Topic);
        Assert.Equal("job-2", done.Single(r => r.Topic == Jobs + "notify-next").Payload["execution"]!["jobId"]!.GetValue<string>());

        var again = Send("job-1/update", """{"status":"IN_PROGRESS"}""").Single();
        Assert.Equal("InvalidStateTransition", again.Payload["code"]!.GetValue<string>());
        var execution = _api.Snapshot("t1", "job-1")!;
        Assert.Equal([JobExecutionStatus.Queued, JobExecutionStatus.InProgress, JobExecutionStatus.Succeeded], execution.History);
        Assert.Equal("ok", execution.StatusDetails["result"]);
    }

    [Theory]
    [InlineData("""{"status":"QUEUED"}""")]
    [InlineData("""{"status":"CANCELED"}""")]
    [InlineData("""{"status":"FAILED","statusDetails":{"k":1}}""")]
    [InlineData("""{"status":"FAILED","statusDetails":{"bad key":"v"}}""")]
    [InlineData("""{"status":"FAILED","statusDetails":{"k":""}}""")]
    public void Update_with_a_status_or_details_a_device_may_not_send_is_rejected_with_InvalidRequest(string payload)
    {
        _api.CreateJob("t1", "job-1", []);
        var rejected = Send("job-1/update", payload).Single();
        Assert.Equal("InvalidRequest", rejected.Payload["code"]!.GetValue<string>());
    }

    [Fact]
    public void Status_details_are_limited_to_10_pairs_of_128_characters()
    {
        _api.CreateJob("t1", "job-1", []);
        var ten = new JsonObject();
        for (var i = 0; i < 10; i++)
        {
            ten["k" + i] = new string('v', 128);
        }

        Assert.EndsWith(
            "/accepted",
            Send("job-1/update", new JsonObject { ["status"] = "IN_PROGRESS", ["statusDetails"] = ten }.ToJsonString())[0].Topic,
            StringComparison.Ordinal);
        var eleventh = Send("job-1/update", """{"status":"IN_PROGRESS","statusDetails":{"k10":"v"}}""").Single();
        Assert.Equal("InvalidRequest", eleventh.Payload["code"]!.GetValue<string>());
        var long129 = Send("job-1/update", "{\"status\":\"IN_PROGRESS\",\"statusDetails\":{\"k0\":\"" + new string('v', 129) + "\"}}").Single();
        Assert.Equal("InvalidRequest", long129.Payload["code"]!.GetValue<string>());
    }

    [Fact]
    public void Get_lists_in_progress_and_queued_jobs_and_unknown_job_is_ResourceNotFound()
    {
        _api.CreateJob("t1", "job-1", []);
        _api.CreateJob("t1", "job-2", []);
        Send("start-next", "{}");
        var list = Send("get", "{}").Single().Payload;
        Assert.Equal("job-1", list["inProgressJobs"]![0]!["jobId"]!.GetValue<string>());
        Assert.Equal("job-2", list["queuedJobs"]![0]!["jobId"]!.GetValue<string>());
        Assert.Equal("ResourceNotFound", Send("nope/update", """{"status":"FAILED"}""").Single().Payload["code"]!.GetValue<string>());
    }

    [Fact]
    public void Rejected_and_failed_are_terminal_like_succeeded()
    {
        _api.CreateJob("t1", "job-1", []);
        _api.CreateJob("t1", "job-2", []);
        Assert.EndsWith(
            "/accepted",
            Send("job-1/update", """{"status":"REJECTED","statusDetails":{"reason":"unknown operation"}}""")[0].Topic,
            StringComparison.Ordinal);
        Assert.EndsWith("/accepted", Send("job-2/update", """{"status":"FAILED"}""")[0].Topic, StringComparison.Ordinal);
        Assert.True(_api.Snapshot("t1", "job-1")!.IsTerminal);
        Assert.True(_api.Snapshot("t1", "job-2")!.IsTerminal);
        Assert.Null(Send("start-next", "{}")[0].Payload["execution"]);
    }

    private IReadOnlyList<IotReply> Send(string operation, string payload) => _api.Handle(Jobs + operation, Encoding.UTF8.GetBytes(payload));
}

using System.Net;
using System.Text.Json.Nodes;
using ShelfAgent.LocalIot.Jobs;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration.IotCore.Jobs;

/// <summary>The real agent process against the local AWS IoT Core's Jobs API (issue 14, "Jobs").</summary>
public sealed class JobsAgentTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_unknown_operation_is_rejected_with_the_reason_and_the_next_job_still_runs()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, output);
        var device = await JobsDevice.CreateAsync(env, "shelf-jobs-01");
        await device.CreateJobAsync("job-reboot", """{"operation":"reboot"}""");
        await device.CreateJobAsync("job-diag", """{"operation":"report-diagnostics","logLines":5}""");

        var agent = device.StartAgent();
        var rejected = await device.WaitForEndAsync("job-reboot", agent);
        var diag = await device.WaitForEndAsync("job-diag", agent);

        Assert.Equal(JobExecutionStatus.Rejected, rejected.Status);
        Assert.Contains("unknown operation 'reboot'", rejected.StatusDetails["reason"], StringComparison.Ordinal);
        Assert.Equal(JobExecutionStatus.Succeeded, diag.Status);
        Assert.Empty(device.Core.Faults);
    }

    [Fact]
    public async Task Report_diagnostics_puts_the_doctor_findings_in_status_details()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, output);
        var device = await JobsDevice.CreateAsync(env, "shelf-jobs-02");
        var agent = device.StartAgent();
        await device.CreateJobAsync("job-diag", """{"operation":"report-diagnostics"}""");

        var done = await device.WaitForEndAsync("job-diag", agent);

        Assert.Equal(JobExecutionStatus.Succeeded, done.Status);
        Assert.Equal([JobExecutionStatus.Queued, JobExecutionStatus.InProgress, JobExecutionStatus.Succeeded], done.History.Distinct());
        Assert.Equal("report-diagnostics", done.StatusDetails["operation"]);
        Assert.Matches("^(0|69|78)$", done.StatusDetails["exitCode"]);
        Assert.True(done.StatusDetails.ContainsKey("failed"));
        Assert.InRange(done.StatusDetails.Count, 3, 10);
        Assert.True(await device.RecordGoneAsync(agent), "the job record is deleted once the service accepted the final update");
    }

    [Fact]
    public async Task Report_diagnostics_uploads_the_full_report_to_the_pre_signed_url()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, output);
        var device = await JobsDevice.CreateAsync(env, "shelf-jobs-03");
        await using var upload = new HttpsPutListener();
        // The agent trusts the system store; here the system store is the upload server's CA (OpenSSL's SSL_CERT_FILE).
        var agent = device.StartAgent(new Dictionary<string, string> { ["SSL_CERT_FILE"] = upload.CaFile });
        await device.CreateJobAsync(
            "job-upload",
            $$"""{"operation":"report-diagnostics","uploadUrl":"{{upload.Url("/diag/shelf-jobs-03.json?X-Amz-Signature=s3cr3t")}}","logLines":10}""");

        var done = await device.WaitForEndAsync("job-upload", agent);

        Assert.Equal(JobExecutionStatus.Succeeded, done.Status);
        Assert.Equal("127.0.0.1: HTTP 200", done.StatusDetails["upload"]);
        var put = Assert.Single(upload.Requests);
        Assert.Equal(("PUT", "/diag/shelf-jobs-03.json?X-Amz-Signature=s3cr3t"), (put.Method, put.PathAndQuery));
        Assert.Null(await JsonSchemaValidator.ValidateAsync("diagnostics-report.schema.json", [put.Body]));
        Assert.Equal("shelf-jobs-03", JsonNode.Parse(put.Body)!["thingName"]!.GetValue<string>());
        Assert.DoesNotContain("s3cr3t", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_upload_fails_the_job_with_the_status_and_the_summary()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, output);
        var device = await JobsDevice.CreateAsync(env, "shelf-jobs-04");
        await using var upload = new HttpsPutListener { Status = HttpStatusCode.Forbidden };
        var agent = device.StartAgent(new Dictionary<string, string> { ["SSL_CERT_FILE"] = upload.CaFile });
        await device.CreateJobAsync("job-upload", $$"""{"operation":"report-diagnostics","uploadUrl":"{{upload.Url("/expired?X-Amz-Signature=x")}}"}""");

        var done = await device.WaitForEndAsync("job-upload", agent);

        Assert.Equal(JobExecutionStatus.Failed, done.Status);
        Assert.Contains("HTTP 403", done.StatusDetails["reason"], StringComparison.Ordinal);
        Assert.True(done.StatusDetails.ContainsKey("exitCode"));
    }

    [Fact]
    public async Task A_job_in_progress_when_the_agent_is_killed_is_run_again_after_the_restart_and_succeeds()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, output);
        var device = await JobsDevice.CreateAsync(env, "shelf-jobs-05");
        await using var upload = new HttpsPutListener { Hang = true };
        var trustUpload = new Dictionary<string, string> { ["SSL_CERT_FILE"] = upload.CaFile };
        await device.CreateJobAsync("job-restart", $$"""{"operation":"report-diagnostics","uploadUrl":"{{upload.Url("/r.json")}}"}""");

        await using (var first = device.StartAgent(trustUpload))
        {
            // The signal: the upload reached the server, which does not answer: the job is IN_PROGRESS.
            await upload.Received.WaitAsync(TimeSpan.FromSeconds(90));
            Assert.Equal(JobExecutionStatus.InProgress, device.Core.JobExecution(device.Thing, "job-restart")!.Status);
            Assert.Contains("\"phase\": \"running\"", await File.ReadAllTextAsync(device.StateFile), StringComparison.Ordinal);
            await first.KillAsync();
        }

        upload.Hang = false;
        var second = device.StartAgent(trustUpload);
        var done = await device.WaitForEndAsync("job-restart", second);

        Assert.Equal(JobExecutionStatus.Succeeded, done.Status);
        Assert.Equal("2", done.StatusDetails["attempt"]);
        Assert.Equal(2, upload.Requests.Count);
        Assert.Contains("restarted while it was in progress; running it again (attempt 2)", second.Output, StringComparison.Ordinal);
        Assert.True(await device.RecordGoneAsync(second));
    }

    [Fact]
    public async Task A_job_that_kills_the_agent_twice_is_failed_not_left_in_progress()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, output);
        var device = await JobsDevice.CreateAsync(env, "shelf-jobs-06");
        await using var upload = new HttpsPutListener { Hang = true };
        var trustUpload = new Dictionary<string, string> { ["SSL_CERT_FILE"] = upload.CaFile };
        await device.CreateJobAsync("job-crash", $$"""{"operation":"report-diagnostics","uploadUrl":"{{upload.Url("/c.json")}}"}""");

        for (var run = 0; run < 2; run++)
        {
            var received = upload.Received;
            var agent = device.StartAgent(trustUpload);
            await received.WaitAsync(TimeSpan.FromSeconds(90));
            await agent.KillAsync();
        }

        var last = device.StartAgent(trustUpload);
        var done = await device.WaitForEndAsync("job-crash", last);

        Assert.Equal(JobExecutionStatus.Failed, done.Status);
        Assert.Contains("restarted during report-diagnostics 2 times", done.StatusDetails["reason"], StringComparison.Ordinal);
        Assert.Equal(2, upload.Requests.Count);
    }
}

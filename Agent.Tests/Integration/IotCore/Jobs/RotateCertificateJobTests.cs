using System.Text.Json.Nodes;
using ShelfAgent.LocalIot.Jobs;
using ShelfAgent.LocalIot.Provisioning;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration.IotCore.Jobs;

/// <summary>rotate-certificate with the real agent against the local AWS IoT Core (issue 14, "Jobs"; "Proof").</summary>
public sealed class RotateCertificateJobTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_rotation_switches_agent_json_to_the_new_certificate_after_it_connected_and_the_agent_restarts_on_it()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, output);
        var device = await JobsDevice.CreateAsync(env, "shelf-rot-01");
        device.Core.AddProvisioningTemplate(new ProvisioningTemplate(device.Core.Options.RotationTemplate));
        var oldCert = CertFileOf(device.Config);
        var agent = device.StartAgent();
        await device.CreateJobAsync("job-rotate", $$"""{"operation":"rotate-certificate","templateName":"{{device.Core.Options.RotationTemplate}}"}""");

        var done = await device.WaitForEndAsync("job-rotate", agent);

        Assert.True(done.Status == JobExecutionStatus.Succeeded, string.Join(", ", done.StatusDetails) + agent.Output);
        var newCert = CertFileOf(device.Config);
        Assert.NotEqual(oldCert, newCert);
        Assert.StartsWith("device-" + done.StatusDetails["certificateId"][..12], Path.GetFileName(newCert), StringComparison.Ordinal);
        Assert.True(File.Exists(oldCert), "the old certificate is kept until the agent runs on the new one");
        // The agent stops itself once the report was accepted; systemd (Restart=always) starts it on the new identity.
        await agent.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, agent.ExitCode);
        Assert.Contains("restarting the agent to connect with the new certificate", agent.Output, StringComparison.Ordinal);

        var restarted = device.StartAgent();
        await device.CreateJobAsync("job-after", """{"operation":"report-diagnostics"}""");
        var after = await device.WaitForEndAsync("job-after", restarted);
        Assert.Equal(JobExecutionStatus.Succeeded, after.Status);
    }

    [Fact]
    public async Task A_new_certificate_the_broker_refuses_fails_the_job_and_the_old_one_stays_in_use()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, output);
        var device = await JobsDevice.CreateAsync(env, "shelf-rot-02");
        device.Core.AddProvisioningTemplate(new ProvisioningTemplate(device.Core.Options.RotationTemplate));
        var oldCert = CertFileOf(device.Config);
        var agent = device.StartAgent();
        device.Core.RefuseNewCertificates = true;
        await device.CreateJobAsync("job-rotate", $$"""{"operation":"rotate-certificate","templateName":"{{device.Core.Options.RotationTemplate}}"}""");

        var done = await device.WaitForEndAsync("job-rotate", agent);

        Assert.Equal(JobExecutionStatus.Failed, done.Status);
        Assert.Equal("NewCertificateRefused", done.StatusDetails["outcome"]);
        Assert.StartsWith("the new certificate", done.StatusDetails["reason"], StringComparison.Ordinal);
        Assert.Equal("the current certificate stays in agent.json and in use", done.StatusDetails["kept"]);
        Assert.Equal(oldCert, CertFileOf(device.Config));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(oldCert)!, "device-*.key"));
        Assert.False(agent.HasExited, agent.Output);

        // Still connected with the old certificate: the next job runs.
        device.Core.RefuseNewCertificates = false;
        await device.CreateJobAsync("job-after", """{"operation":"report-diagnostics"}""");
        Assert.Equal(JobExecutionStatus.Succeeded, (await device.WaitForEndAsync("job-after", agent)).Status);
    }

    [Fact]
    public async Task A_rotation_template_that_rejects_fails_the_job_with_AWS_error_fields()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, output);
        var device = await JobsDevice.CreateAsync(env, "shelf-rot-03");
        device.Core.AddProvisioningTemplate(new ProvisioningTemplate(device.Core.Options.RotationTemplate)
        {
            Hook = _ => new IotRejection(403, "AccessDenied", "rotation not allowed for this thing"),
        });
        var agent = device.StartAgent();
        await device.CreateJobAsync("job-rotate", $$"""{"operation":"rotate-certificate","templateName":"{{device.Core.Options.RotationTemplate}}"}""");

        var done = await device.WaitForEndAsync("job-rotate", agent);

        Assert.Equal(JobExecutionStatus.Failed, done.Status);
        Assert.Equal(("Rejected", "403", "AccessDenied"), (done.StatusDetails["outcome"], done.StatusDetails["statusCode"], done.StatusDetails["errorCode"]));
    }

    [Fact]
    public async Task A_rotation_killed_before_the_switch_is_run_again_on_the_next_start_and_succeeds()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, output);
        var device = await JobsDevice.CreateAsync(env, "shelf-rot-04");
        using var reached = new SemaphoreSlim(0);
        using var gate = new SemaphoreSlim(0);
        var calls = 0;
        device.Core.AddProvisioningTemplate(new ProvisioningTemplate(device.Core.Options.RotationTemplate)
        {
            // The first RegisterThing holds until the agent has been killed: the kill lands mid-rotation, before the switch.
            Hook = _ =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                {
                    reached.Release();
                    gate.Wait(TimeSpan.FromSeconds(120));
                }

                return null;
            },
        });
        var oldCert = CertFileOf(device.Config);
        var agent = device.StartAgent();
        await device.CreateJobAsync("job-rotate", $$"""{"operation":"rotate-certificate","templateName":"{{device.Core.Options.RotationTemplate}}"}""");
        Assert.True(await reached.WaitAsync(TimeSpan.FromSeconds(120)), "the rotation reached RegisterThing\n" + agent.Output);

        await agent.KillAsync();
        gate.Release();
        Assert.Equal(oldCert, CertFileOf(device.Config));
        var restarted = device.StartAgent();
        var done = await device.WaitForEndAsync("job-rotate", restarted);

        Assert.True(done.Status == JobExecutionStatus.Succeeded, string.Join(", ", done.StatusDetails) + restarted.Output);
        Assert.Contains("running it again (attempt 2)", restarted.Output, StringComparison.Ordinal);
        Assert.NotEqual(oldCert, CertFileOf(device.Config));
        Assert.Equal(2, Volatile.Read(ref calls));
    }

    private static string CertFileOf(string config) => JsonNode.Parse(File.ReadAllText(config))!["Mqtt"]!["CertFile"]!.GetValue<string>();
}

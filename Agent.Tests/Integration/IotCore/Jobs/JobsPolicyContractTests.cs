using ShelfAgent.LocalIot;
using ShelfAgent.LocalIot.Jobs;
using ShelfAgent.LocalIot.Policy;
using ShelfAgent.LocalIot.Provisioning;
using ShelfAgent.Tests.Integration.Policies;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration.IotCore.Jobs;

/// <summary>
/// The policy contract test's jobs scenario: the real agent takes a config-update, a report-diagnostics and a
/// rotate-certificate job; every MQTT operation it performs is evaluated against Cloud's device policies. None may be
/// refused, and every grant <see cref="PolicyGrantScenarios"/> names for <see cref="ContractScenario.Jobs"/> must be used.
/// </summary>
[Trait("Category", "Integration")]
public sealed class JobsPolicyContractTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Jobs_scenario_uses_only_what_the_device_policies_grant_and_every_jobs_and_rotation_grant()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, output);
        var device = await JobsDevice.CreateAsync(env, "shelf-contract-jobs");
        device.Core.AddProvisioningTemplate(new ProvisioningTemplate(device.Core.Options.RotationTemplate));
        await using (var agent = device.StartAgent())
        {
            await device.CreateJobAsync("job-cfg", """{"operation":"config-update","changes":{"Sampling":{"IntervalMs":750}}}""");
            Assert.Equal(JobExecutionStatus.Succeeded, (await device.WaitForEndAsync("job-cfg", agent)).Status);
            await device.CreateJobAsync("job-diag", """{"operation":"report-diagnostics"}""");
            Assert.Equal(JobExecutionStatus.Succeeded, (await device.WaitForEndAsync("job-diag", agent)).Status);
            await device.CreateJobAsync("job-rotate", $$"""{"operation":"rotate-certificate","templateName":"{{device.Core.Options.RotationTemplate}}"}""");
            Assert.Equal(JobExecutionStatus.Succeeded, (await device.WaitForEndAsync("job-rotate", agent)).Status);
            Assert.True(await device.RecordGoneAsync(agent) || agent.HasExited);
        }

        var operations = device.Core.Operations().Where(o => o.Username == device.Thing).ToList();
        var report = PolicyContract.Check(operations, device.Core.DevicePolicy, device.Core.ConnectionOf, LocalIotCoreOptions.ArnPrefix);

        PolicyGrantScenarios.AssertHolds(report, PolicyGrantScenarios.Device(device.Core.Options.RotationTemplate), ContractScenario.Jobs);
    }
}

using System.Text.Json.Nodes;
using ShelfAgent.LocalIot;
using ShelfAgent.LocalIot.Broker;
using ShelfAgent.LocalIot.Policy;
using ShelfAgent.LocalIot.Provisioning;

namespace ShelfAgent.Tests.Integration.Policies;

/// <summary>
/// The policy contract test (issue 14): the REAL shelf-agent process against the local AWS IoT Core; every MQTT
/// operation it performs (from the broker's log) evaluated against the policies Cloud deploys, with the connection's
/// variables substituted. Each scenario fails on any operation the policies would refuse and on any grant
/// <see cref="PolicyGrantScenarios"/> names it for that it did not use; PolicyGrantScenariosTests checks that the
/// scenarios together cover every grant (the "never used" half, on the union of the scenarios).
/// </summary>
[Trait("Category", "Integration")]
public sealed class AgentPolicyContractTests
{
    private const string Store = "store-0042";
    private const string Thing = "shelf-contract-01";

    [Fact]
    public async Task Run_scenario_uses_only_what_the_device_policies_grant_and_every_grant_of_the_run_scenario()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() });
        var core = env.IotCore;
        var operations = await RunAgentAsync(env);

        var report = PolicyContract.Check(operations, core.DevicePolicy, core.ConnectionOf, LocalIotCoreOptions.ArnPrefix);

        PolicyGrantScenarios.AssertHolds(report, PolicyGrantScenarios.Device(core.Options.RotationTemplate), ContractScenario.Run);
        // What today's agent does, so a reader sees what was judged.
        Assert.Contains(operations, o => o is { Kind: MqttOperationKind.Will, Retain: true });
        Assert.Contains(operations, o => o.Kind == MqttOperationKind.Publish && o.Topic.EndsWith("/telemetry", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_scenario_is_refused_by_the_device_policy_without_RetainPublish()
    {
        // The policy before issue 14 had no iot:RetainPublish: the contract test must find what AWS IoT Core would refuse.
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() });
        var core = env.IotCore;
        var operations = await RunAgentAsync(env);
        var before = new IotPolicy([.. core.DevicePolicy.Statements.Where(s => !s.Actions.Contains(IotActions.RetainPublish))]);

        var report = PolicyContract.Check(operations, before, core.ConnectionOf, LocalIotCoreOptions.ArnPrefix);

        var refused = report.Violations.Where(v => v.Action == IotActions.RetainPublish).Select(v => (v.Operation.Kind, v.Operation.Topic)).Distinct().ToList();
        Assert.Contains((MqttOperationKind.Will, $"dt/shelf/{Store}/{Thing}/status"), refused);
        Assert.Contains((MqttOperationKind.Publish, $"dt/shelf/{Store}/{Thing}/status"), refused);
    }

    [Fact]
    public async Task Provision_scenario_uses_only_what_the_claim_policy_grants_and_every_grant_of_it()
    {
        // shelf-agent provision with a claim certificate: its operations against the claim policy Cloud synthesizes
        // (IotPolicyDocuments.Claim for the template the stage names), the new identity's test connection against the
        // device policies.
        const string NewThing = "shelf-contract-02";
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() });
        var core = env.IotCore;
        core.AddProvisioningTemplate(new ProvisioningTemplate(core.Options.ProvisioningTemplate)
        {
            RequiredParameters = ["ThingName", "StoreId"],
            AttributesFromParameters = new Dictionary<string, string> { ["storeId"] = "StoreId" },
        });
        var device = await env.ClaimDeviceAsync();

        var (code, output) = await AgentProcess.RunAsync(device.ProvisionArgs(core.Options.ProvisioningTemplate, NewThing));

        Assert.True(code == 0, output + "\n" + env.Diagnostics());
        Assert.Empty(core.Faults);
        Assert.Empty(core.Refusals);
        var operations = core.Operations();
        var claim = operations.Where(o => (o.Username ?? "").StartsWith("claim-", StringComparison.Ordinal)).ToList();
        var identity = operations.Where(o => o.Username == NewThing).ToList();
        Assert.Contains(claim, o => o.Kind == MqttOperationKind.Publish && o.Topic == FleetProvisioningApi.CreateFromCsrTopic);
        Assert.Contains(identity, o => o.Kind == MqttOperationKind.Connect && o.ClientId == NewThing);
        Assert.Equal(claim.Count + identity.Count, operations.Count);

        PolicyGrantScenarios.AssertHolds(
            PolicyContract.Check(claim, core.ClaimPolicy, core.ConnectionOf, LocalIotCoreOptions.ArnPrefix),
            PolicyGrantScenarios.Claim(core.Options.ProvisioningTemplate), ContractScenario.Provision);
        PolicyGrantScenarios.AssertHolds(
            PolicyContract.Check(identity, core.DevicePolicy, core.ConnectionOf, LocalIotCoreOptions.ArnPrefix),
            PolicyGrantScenarios.Device(core.Options.RotationTemplate), ContractScenario.Provision);
    }

    [Fact]
    public async Task Shadow_scenario_uses_only_what_the_device_policies_grant_and_every_shadow_grant()
    {
        // shelf-agent run with the shadow on (the fixture is 127.0.0.1, so Shadow:Enabled must say so): get at connect,
        // the first report, a desired delta from the cloud applied and reported back.
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() });
        var core = env.IotCore;
        var device = await env.DeviceAsync(Thing, store: Store);
        var shadowOn = new Dictionary<string, string> { ["SHELFAGENT_Shadow__Enabled"] = "true", ["SHELFAGENT_Shadow__ReportIntervalSeconds"] = "5" };
        var agent = env.StartAgent(device, shadowOn);
        await agent.WaitForAsync(() => Reported(core)?["Sampling"]?["IntervalMs"] is not null, "the first shadow report");
        await core.UpdateDesiredAsync(Thing, (JsonObject)JsonNode.Parse("""{"Sampling":{"IntervalMs":250}}""")!);
        await agent.WaitForAsync(() => Reported(core)?["Sampling"]?["IntervalMs"]?.GetValue<int>() == 250, "the desired change reported back");
        await agent.StopAsync();

        Assert.Empty(core.Faults);
        Assert.Empty(core.Refusals);
        var operations = core.Operations().Where(o => o.Username == Thing).ToList();
        Assert.Contains(operations, o => o.Kind == MqttOperationKind.Receive && o.Topic == $"$aws/things/{Thing}/shadow/update/delta");
        // A new thing has no shadow yet: the get at connect is answered on get/rejected (404).
        Assert.Contains(
            operations,
            o => o.Kind == MqttOperationKind.Receive && o.Topic.StartsWith($"$aws/things/{Thing}/shadow/get/", StringComparison.Ordinal));

        var report = PolicyContract.Check(operations, core.DevicePolicy, core.ConnectionOf, LocalIotCoreOptions.ArnPrefix);

        PolicyGrantScenarios.AssertHolds(report, PolicyGrantScenarios.Device(core.Options.RotationTemplate), ContractScenario.Shadow);
    }

    /// <summary>
    /// Runs the agent until it has connected, published telemetry and its retained status, then stops it the way
    /// systemd does (SIGTERM) and returns its operations.
    /// </summary>
    private static async Task<IReadOnlyList<MqttOperation>> RunAgentAsync(IntegrationEnvironment env)
    {
        var core = env.IotCore;
        var agent = env.StartAgent(await env.DeviceAsync(Thing, store: Store));

        await env.UntilAsync(
            () => core.Operations() is var ops &&
                ops.Any(o => o.ClientId == Thing && o.Kind == MqttOperationKind.Publish && o.Topic.EndsWith("/telemetry", StringComparison.Ordinal)) &&
                ops.Any(o => o.ClientId == Thing && o is { Kind: MqttOperationKind.Publish, Retain: true }) &&
                // The jobs client asks for work at every connect (docs/jobs.md), and takes start-next's reply.
                ops.Any(o => o.ClientId == Thing && o.Kind == MqttOperationKind.Receive && o.Topic.Contains("/jobs/start-next/", StringComparison.Ordinal)),
            "the agent published telemetry and its retained status and took start-next's reply");
        await agent.StopAsync();
        Assert.Empty(core.Faults);
        Assert.Empty(core.Refusals);
        return [.. core.Operations().Where(o => o.Username == Thing)];
    }

    private static JsonObject? Reported(LocalIotCore core) => core.Shadow(Thing)?["state"]?["reported"] as JsonObject;
}

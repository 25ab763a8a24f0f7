using ShelfAgent.Tests.Integration.AwsIot.Policy;

namespace ShelfAgent.Tests.Integration.AwsIot;

/// <summary>
/// The policy contract test (issue 14): the REAL shelf-agent process against the local AWS IoT Core; every MQTT
/// operation it performs (from the broker's log) evaluated against the policies Cloud deploys, with the connection's
/// variables substituted. Fails on any operation the policies would refuse, and on any grant no scenario uses
/// that is not listed in <see cref="PolicyGrantsAwaiting"/>. One test per scenario: run (today's agent); provision,
/// shadow and jobs add theirs as those features land (README.md in this folder says how).
/// </summary>
[Trait("Category", "Integration")]
public sealed class AgentPolicyContractTests
{
    private const string Store = "store-0042";
    private const string Thing = "shelf-contract-01";

    [Fact]
    public async Task Run_scenario_uses_only_what_the_device_policies_grant_and_every_grant_but_those_awaiting_features()
    {
        await using var core = await LocalIotCore.StartAsync();
        var operations = await RunAgentAsync(core);

        var report = PolicyContract.Check(operations, core.DevicePolicy, core.ConnectionOf, LocalIotCoreOptions.ArnPrefix);

        Assert.True(report.Violations.Count == 0, report.Describe());
        var awaiting = PolicyGrantsAwaiting.Device(core.Options.RotationTemplate);
        Assert.True(report.Unused.ToHashSet().SetEquals(awaiting.Keys),
            "unused grants differ from the grants awaiting a feature:\n" +
            $"  unused, not awaiting (remove the grant, or use it): {string.Join("; ", report.Unused.Except(awaiting.Keys))}\n" +
            $"  awaiting, but used now (take it off PolicyGrantsAwaiting): {string.Join("; ", awaiting.Keys.Except(report.Unused))}");
        // What today's agent does, so a reader sees what was judged.
        Assert.Contains(operations, o => o is { Kind: MqttOperationKind.Will, Retain: true });
        Assert.Contains(operations, o => o.Kind == MqttOperationKind.Publish && o.Topic.EndsWith("/telemetry", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_scenario_is_refused_by_the_device_policy_without_RetainPublish()
    {
        // The policy before issue 14 had no iot:RetainPublish: the contract test must find what AWS IoT Core would refuse.
        await using var core = await LocalIotCore.StartAsync();
        var operations = await RunAgentAsync(core);
        var before = new IotPolicy([.. core.DevicePolicy.Statements.Where(s => !s.Actions.Contains(IotActions.RetainPublish))]);

        var report = PolicyContract.Check(operations, before, core.ConnectionOf, LocalIotCoreOptions.ArnPrefix);

        var refused = report.Violations.Where(v => v.Action == IotActions.RetainPublish).Select(v => (v.Operation.Kind, v.Operation.Topic)).Distinct().ToList();
        Assert.Contains((MqttOperationKind.Will, $"dt/shelf/{Store}/{Thing}/status"), refused);
        Assert.Contains((MqttOperationKind.Publish, $"dt/shelf/{Store}/{Thing}/status"), refused);
    }

    /// <summary>
    /// Runs the agent until it has connected, published telemetry and its retained status, then stops it the way
    /// systemd does (SIGTERM) and returns its operations.
    /// </summary>
    private static async Task<IReadOnlyList<MqttOperation>> RunAgentAsync(LocalIotCore core)
    {
        using var dir = new TempDirectory("contract");
        await core.RegisterThingAsync(Thing, new Dictionary<string, string> { ["storeId"] = Store });
        var identity = await core.IssueThingCertificateAsync(Thing);
        var config = AgentConfigFile.Write(dir.File("agent.json"), core.Broker, Thing, Store, identity.CertFile, identity.KeyFile, dir.File("outbox.db"));
        await using var agent = AgentProcess.Start("run", "--config", config);

        var seen = await core.WaitForOperationsAsync(ops =>
            ops.Any(o => o.ClientId == Thing && o.Kind == MqttOperationKind.Publish && o.Topic.EndsWith("/telemetry", StringComparison.Ordinal)) &&
            ops.Any(o => o.ClientId == Thing && o is { Kind: MqttOperationKind.Publish, Retain: true }) &&
            // The jobs client asks for work at every connect (docs/jobs.md).
            ops.Any(o => o.ClientId == Thing && o.Kind == MqttOperationKind.Publish && o.Topic.EndsWith("/jobs/start-next", StringComparison.Ordinal)), TimeSpan.FromSeconds(60));
        Assert.True(seen, agent.Output + "\n" + core.Broker.ReadLog());
        await agent.StopAsync();
        Assert.Empty(core.Faults);
        Assert.Empty(core.Refusals);
        return [.. core.Operations().Where(o => o.Username == Thing)];
    }
}

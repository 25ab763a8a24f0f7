using ShelfAgent.LocalIot.Broker;
using ShelfAgent.LocalIot.Policy;

namespace ShelfAgent.LocalIot.Tests.Policy;

/// <summary>The contract check itself, on hand-made operations.</summary>
public sealed class PolicyContractTests
{
    private const string Arn = "arn:aws:iot:local:000000000000";

    private static readonly IotPolicy Policy = IotPolicy.Parse($$$"""
        {"Statement":[
          {"Effect":"Allow","Action":"iot:Connect","Resource":"{{{Arn}}}:client/${iot:Connection.Thing.ThingName}"},
          {"Effect":"Allow","Action":"iot:Publish","Resource":["{{{Arn}}}:topic/t/${iot:Connection.Thing.ThingName}/*","{{{Arn}}}:topic/unused"]}]}
        """, "p");

    [Fact]
    public void Retained_publish_without_RetainPublish_is_a_violation_and_an_unused_grant_is_listed()
    {
        MqttOperation[] operations =
        [
            new(MqttOperationKind.Connect, "d1", "d1", ""),
            new(MqttOperationKind.Publish, "d1", "d1", "t/d1/status", Retain: true),
            new(MqttOperationKind.Will, "d1", "d1", "t/d1/status", Retain: true),
        ];
        var report = PolicyContract.Check(operations, Policy, _ => ConnectionContext.ForThing("d1"), Arn);

        Assert.Equal(
            [
                new ContractViolation(operations[1], "iot:RetainPublish", $"{Arn}:topic/t/d1/status", PolicyDecision.ImplicitDeny),
                new ContractViolation(operations[2], "iot:RetainPublish", $"{Arn}:topic/t/d1/status", PolicyDecision.ImplicitDeny),
            ],
            report.Violations);
        Assert.Equal([new PolicyGrant("p", 1, "iot:Publish", $"{Arn}:topic/unused")], report.Unused);
    }

    [Fact]
    public void Connect_with_a_client_id_other_than_the_thing_name_is_a_violation()
    {
        var connect = new MqttOperation(MqttOperationKind.Connect, "not-d1", "d1", "");
        var report = PolicyContract.Check([connect], Policy, o => new ConnectionContext(o.ClientId, "d1", new Dictionary<string, string>(), true), Arn);
        Assert.Equal(PolicyDecision.ImplicitDeny, Assert.Single(report.Violations).Decision);
    }
}

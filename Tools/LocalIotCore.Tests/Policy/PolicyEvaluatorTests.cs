using ShelfAgent.LocalIot.Broker;
using ShelfAgent.LocalIot.Policy;

namespace ShelfAgent.LocalIot.Tests.Policy;

/// <summary>The evaluator on the developer guide's example policies ("Example policies", "Policy variables").</summary>
public sealed class PolicyEvaluatorTests
{
    private const string Arn = "arn:aws:iot:us-east-1:123456789012";
    private static readonly ConnectionContext Thing1 = ConnectionContext.ForThing("thing1", new Dictionary<string, string> { ["location"] = "seattle" });

    [Fact]
    public void Connect_with_the_thing_name_as_client_id_is_allowed_only_while_the_certificate_is_attached()
    {
        var policy = IotPolicy.Parse($$$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Connect",
              "Resource":"{{{Arn}}}:client/${iot:Connection.Thing.ThingName}",
              "Condition":{"Bool":{"iot:Connection.Thing.IsAttached":"true"} } }]}
            """);

        Assert.Equal(PolicyDecision.Allowed, Decide(policy, "iot:Connect", $"{Arn}:client/thing1", Thing1));
        // The thing-name variable resolves only when the client id is the name of the attached thing.
        Assert.Equal(PolicyDecision.ImplicitDeny, Decide(policy, "iot:Connect", $"{Arn}:client/other", Thing1 with { ClientId = "other" }));
        Assert.Equal(PolicyDecision.ImplicitDeny, Decide(policy, "iot:Connect", $"{Arn}:client/thing1", Thing1 with { IsAttached = false }));
    }

    [Fact]
    public void Topic_with_a_thing_attribute_variable_matches_only_that_attribute_value()
    {
        var policy = IotPolicy.Parse($$$"""
            {"Statement":[{"Effect":"Allow","Action":["iot:Publish"],"Resource":["{{{Arn}}}:topic/${iot:Connection.Thing.Attributes[location]}/*"]}]}
            """);
        Assert.Equal(PolicyDecision.Allowed, Decide(policy, "iot:Publish", $"{Arn}:topic/seattle/temperature", Thing1));
        Assert.Equal(PolicyDecision.ImplicitDeny, Decide(policy, "iot:Publish", $"{Arn}:topic/portland/temperature", Thing1));
        // A thing without the attribute: the variable does not resolve, the resource matches nothing.
        Assert.Equal(PolicyDecision.ImplicitDeny, Decide(policy, "iot:Publish", $"{Arn}:topic//temperature", ConnectionContext.ForThing("thing1")));
    }

    [Fact]
    public void Client_id_variable_is_substituted_for_any_connection()
    {
        var policy = IotPolicy.Parse($$$"""
            {"Statement":[{"Effect":"Allow","Action":"iot:Publish","Resource":"{{{Arn}}}:topic/clients/${iot:ClientId}"}]}
            """);
        Assert.Equal(PolicyDecision.Allowed, Decide(policy, "iot:Publish", $"{Arn}:topic/clients/c-9", ConnectionContext.Unattached("c-9")));
        Assert.Equal(PolicyDecision.ImplicitDeny, Decide(policy, "iot:Publish", $"{Arn}:topic/clients/c-8", ConnectionContext.Unattached("c-9")));
    }

    [Fact]
    public void Mqtt_wildcards_in_a_topicfilter_resource_are_literal_and_policy_star_matches_across_levels()
    {
        var policy = IotPolicy.Parse($$$"""
            {"Statement":[{"Effect":"Allow","Action":"iot:Subscribe",
              "Resource":["{{{Arn}}}:topicfilter/sensors/+","{{{Arn}}}:topicfilter/$aws/things/thing1/shadow/*"]}]}
            """);
        Assert.Equal(PolicyDecision.Allowed, Decide(policy, "iot:Subscribe", $"{Arn}:topicfilter/sensors/+", Thing1));
        Assert.Equal(PolicyDecision.ImplicitDeny, Decide(policy, "iot:Subscribe", $"{Arn}:topicfilter/sensors/room1", Thing1));
        Assert.Equal(PolicyDecision.Allowed, Decide(policy, "iot:Subscribe", $"{Arn}:topicfilter/$aws/things/thing1/shadow/update/accepted", Thing1));
        Assert.Equal(PolicyDecision.Allowed, Decide(policy, "iot:Subscribe", $"{Arn}:topicfilter/$aws/things/thing1/shadow/#", Thing1));
    }

    [Fact]
    public void Explicit_deny_wins_over_an_allow()
    {
        var policy = IotPolicy.Parse($$$"""
            {"Statement":[
              {"Effect":"Allow","Action":"iot:*","Resource":"{{{Arn}}}:topic/*"},
              {"Effect":"Deny","Action":"iot:Publish","Resource":"{{{Arn}}}:topic/secret/*"}]}
            """);
        Assert.Equal(PolicyDecision.Allowed, Decide(policy, "iot:Publish", $"{Arn}:topic/open/a", Thing1));
        Assert.Equal(PolicyDecision.ExplicitDeny, Decide(policy, "iot:Publish", $"{Arn}:topic/secret/a", Thing1));
        Assert.Equal(PolicyDecision.Allowed, Decide(policy, "iot:Receive", $"{Arn}:topic/secret/a", Thing1));
    }

    [Fact]
    public void Question_mark_matches_one_character_and_actions_match_case_insensitively()
    {
        var policy = IotPolicy.Parse($$$"""
            {"Statement":[{"Effect":"Allow","Action":"IOT:PUBLISH","Resource":"{{{Arn}}}:topic/room?"}]}
            """);
        Assert.Equal(PolicyDecision.Allowed, Decide(policy, "iot:Publish", $"{Arn}:topic/room1", Thing1));
        Assert.Equal(PolicyDecision.ImplicitDeny, Decide(policy, "iot:Publish", $"{Arn}:topic/room12", Thing1));
        Assert.Equal(PolicyDecision.ImplicitDeny, Decide(policy, "iot:Publish", $"{Arn}:topic/ROOM1", Thing1));
    }

    [Fact]
    public void Special_character_variables_stand_for_a_literal_star()
    {
        var policy = IotPolicy.Parse($$$"""
            {"Statement":[{"Effect":"Allow","Action":"iot:Publish","Resource":"{{{Arn}}}:topic/a${*}b"}]}
            """);
        Assert.Equal(PolicyDecision.Allowed, Decide(policy, "iot:Publish", $"{Arn}:topic/a*b", Thing1));
        Assert.Equal(PolicyDecision.ImplicitDeny, Decide(policy, "iot:Publish", $"{Arn}:topic/axxb", Thing1));
    }

    [Fact]
    public void Retained_publish_needs_RetainPublish_as_well_as_Publish()
    {
        var policy = IotPolicy.Parse($$$"""
            {"Statement":[{"Effect":"Allow","Action":"iot:Publish","Resource":"{{{Arn}}}:topic/status"}]}
            """);
        var retained = new MqttOperation(MqttOperationKind.Publish, "thing1", "thing1", "status", Retain: true);
        var decisions = IotActions.Required(retained, Arn).Select(r => (r.Action, Decide(policy, r.Action, r.Resource, Thing1))).ToList();
        Assert.Equal([("iot:Publish", PolicyDecision.Allowed), ("iot:RetainPublish", PolicyDecision.ImplicitDeny)], decisions);
    }

    [Fact]
    public void Unknown_condition_operator_is_refused_rather_than_ignored()
    {
        var policy = IotPolicy.Parse($$$"""
            {"Statement":[{"Effect":"Allow","Action":"iot:Connect","Resource":"{{{Arn}}}:client/*",
              "Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"} } }]}
            """);
        Assert.Throws<NotSupportedException>(() => Decide(policy, "iot:Connect", $"{Arn}:client/x", Thing1));
    }

    [Fact]
    public void Grants_list_every_action_resource_pair_of_the_allow_statements()
    {
        var policy = IotPolicy.Parse($$$"""
            {"Statement":[{"Effect":"Allow","Action":["iot:Publish","iot:Receive"],"Resource":["{{{Arn}}}:topic/a","{{{Arn}}}:topic/b"]},
                          {"Effect":"Deny","Action":"iot:Publish","Resource":"{{{Arn}}}:topic/c"}]}
            """);
        Assert.Equal(4, policy.Grants().Count);
        var evaluation = PolicyEvaluator.Evaluate(policy, "iot:Publish", $"{Arn}:topic/b", Thing1);
        Assert.Equal([new PolicyGrant("policy", 0, "iot:Publish", $"{Arn}:topic/b")], evaluation.AllowedBy);
    }

    private static PolicyDecision Decide(IotPolicy policy, string action, string resource, ConnectionContext connection) =>
        PolicyEvaluator.Evaluate(policy, action, resource, connection).Decision;
}

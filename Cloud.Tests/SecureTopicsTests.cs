using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ShelfAgent.Cloud.Tests;

/// <summary>
/// A topic policy replaces SNS's default policy: a service that publishes as itself needs an Allow in it. These
/// tests evaluate each topic's policy for every alarm and EventBridge rule that targets the topic.
/// </summary>
[Collection(CdkSynth.Name)]
public sealed class SecureTopicsTests(SynthFixture synth, FullSynthFixture full)
{
    private const string AccountPart = ":${AWS::Region}:${AWS::AccountId}:";

    [Fact]
    public void Every_alarm_may_publish_to_its_topic_when_cloudwatch_fires_it()
    {
        foreach (var fixture in new[] { synth, full.Synth })
        {
            var alarms = fixture.OfType("AWS::CloudWatch::Alarm").ToList();
            Assert.NotEmpty(alarms);
            foreach (var (id, alarm) in alarms)
            {
                var name = alarm["Properties"]!["AlarmName"]!.GetValue<string>();
                var arn = "arn:${AWS::Partition}:cloudwatch" + AccountPart + "alarm:" + name;
                foreach (var topic in alarm["Properties"]!["AlarmActions"]!.AsArray())
                {
                    Assert.True(MayPublish(fixture, Cfn.Render(topic), "cloudwatch.amazonaws.com", arn),
                        $"{id} ({name}) may not publish to {Cfn.Render(topic)}");
                }
            }
        }
    }

    [Fact]
    public void Every_eventbridge_rule_may_publish_to_its_topic_when_it_matches()
    {
        var topics = synth.OfType("AWS::SNS::Topic").Select(t => "${" + t.Key + "}").ToHashSet();
        var checkedTargets = 0;
        foreach (var (id, rule) in synth.OfType("AWS::Events::Rule"))
        {
            var props = rule["Properties"]!;
            var bus = props["EventBusName"] is { } b ? BusName(b) + "/" : "";
            var ruleName = props["Name"]?.GetValue<string>() ?? id;
            var arn = "arn:${AWS::Partition}:events" + AccountPart + "rule/" + bus + ruleName;
            foreach (var target in props["Targets"]!.AsArray().Select(t => Cfn.Render(t!["Arn"])).Where(topics.Contains))
            {
                Assert.True(MayPublish(synth, target, "events.amazonaws.com", arn), $"{id} may not publish to {target}");
                checkedTargets++;
            }
        }

        Assert.True(checkedTargets >= 2, "the predicted-empty rule and the Athena-failure rule publish to topics");
    }

    [Fact]
    public void Another_accounts_alarm_may_not_publish_when_it_names_our_topic()
    {
        var topic = "${" + synth.LogicalId("AWS::SNS::Topic", "MonitoringOpsAlarms") + "}";
        Assert.False(MayPublish(synth, topic, "cloudwatch.amazonaws.com", "arn:aws:cloudwatch:eu-west-1:999999999999:alarm:ShelfAgent-test-x"));
        Assert.False(MayPublish(synth, topic, "cloudwatch.amazonaws.com", "arn:${AWS::Partition}:cloudwatch" + AccountPart + "alarm:Other-alarm"));
    }

    private string BusName(System.Text.Json.Nodes.JsonNode bus)
    {
        var rendered = Cfn.Render(bus);
        return rendered.StartsWith("${", StringComparison.Ordinal)
            ? synth.ResourceMap[rendered[2..^1]]!["Properties"]!["Name"]!.GetValue<string>()
            : rendered;
    }

    /// <summary>IAM's evaluation for a service principal over the topic policy: an explicit Allow and no Deny (TLS is on).</summary>
    private static bool MayPublish(SynthFixture fixture, string topicRef, string service, string sourceArn)
    {
        var policies = fixture.OfType("AWS::SNS::TopicPolicy")
            .Where(p => p.Value["Properties"]!["Topics"]!.AsArray().Any(t => Cfn.Render(t) == topicRef)).ToList();
        var statements = policies.SelectMany(p => Cfn.Statements(p.Value["Properties"]!["PolicyDocument"]!)).ToList();
        return statements.Any(s => s.Raw["Effect"]!.GetValue<string>() == "Allow"
            && s.Actions.Contains("sns:Publish")
            && Cfn.List(s.Raw["Principal"]?["Service"]).Contains(service)
            && ConditionsHold(s.Raw["Condition"]?.AsObject(), sourceArn));
    }

    // The account field of an ARN whose parts may be CloudFormation placeholders (which contain "::").
    private static string SourceAccount(string arn) =>
        arn.Contains(AccountPart, StringComparison.Ordinal) ? "${AWS::AccountId}" : arn.Split(':')[4];

    private static bool ConditionsHold(JsonObject? conditions, string sourceArn)
    {
        if (conditions is null)
        {
            return true;
        }

        foreach (var (op, keys) in conditions)
        {
            foreach (var (key, value) in keys!.AsObject())
            {
                var actual = key switch
                {
                    "aws:SourceArn" => sourceArn,
                    "aws:SourceAccount" => SourceAccount(sourceArn),
                    _ => throw new InvalidOperationException("unexpected condition key " + key),
                };
                var expected = Cfn.Render(value);
                var holds = op switch
                {
                    "ArnLike" => Regex.IsMatch(actual, "^" + Regex.Escape(expected).Replace("\\*", ".*", StringComparison.Ordinal) + "$"),
                    "StringEquals" or "ArnEquals" => actual == expected,
                    _ => throw new InvalidOperationException("unexpected condition operator " + op),
                };
                if (!holds)
                {
                    return false;
                }
            }
        }

        return true;
    }
}

using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.SNS;
using Constructs;

namespace ShelfAgent.Cloud;

/// <summary>
/// One way to make an SNS topic: its policy denies any publish that does not arrive over TLS
/// (aws:SecureTransport false). Written out rather than TopicProps.EnforceSSL, which CDK 2.160 only applies
/// once something else adds a topic policy. A topic policy replaces SNS's default policy, so an AWS service that
/// publishes as itself (CloudWatch alarms, EventBridge rules) is refused unless the policy allows it:
/// <see cref="AllowCloudWatchAlarms"/> and <see cref="AllowEventBridgeRules"/> add that, each held to this
/// account's own alarms or rules by aws:SourceArn (the confused-deputy guard AWS documents for SNS).
/// </summary>
public static class SecureTopics
{
    /// <summary>Creates the topic and its TLS-only policy.</summary>
    public static Topic Create(Construct scope, string id, string displayName)
    {
        var topic = new Topic(scope, id, new TopicProps { DisplayName = displayName });
        topic.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "PublishOverTlsOnly",
            Effect = Effect.DENY,
            Principals = [new AnyPrincipal()],
            Actions = ["sns:Publish"],
            Resources = [topic.TopicArn],
            Conditions = new Dictionary<string, object>
            {
                ["Bool"] = new Dictionary<string, object> { ["aws:SecureTransport"] = "false" },
            },
        }));
        return topic;
    }

    /// <summary>Lets this account's CloudWatch alarms whose names start with the prefix publish to the topic.</summary>
    public static void AllowCloudWatchAlarms(Topic topic, string alarmNamePrefix) =>
        AllowService(topic, "CloudWatchAlarmsPublish", "cloudwatch.amazonaws.com",
            $"arn:{Aws.PARTITION}:cloudwatch:{Aws.REGION}:{Aws.ACCOUNT_ID}:alarm:{alarmNamePrefix}*");

    /// <summary>Lets this account's EventBridge rules matching the pattern (rule/{bus}/{name} or rule/{name}) publish.</summary>
    public static void AllowEventBridgeRules(Topic topic, string sid, string rulePattern) =>
        AllowService(topic, sid, "events.amazonaws.com",
            $"arn:{Aws.PARTITION}:events:{Aws.REGION}:{Aws.ACCOUNT_ID}:rule/{rulePattern}");

    private static void AllowService(Topic topic, string sid, string service, string sourceArn)
    {
        ArgumentNullException.ThrowIfNull(topic);
        topic.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = sid,
            Principals = [new ServicePrincipal(service)],
            Actions = ["sns:Publish"],
            Resources = [topic.TopicArn],
            Conditions = new Dictionary<string, object>
            {
                ["ArnLike"] = new Dictionary<string, object> { ["aws:SourceArn"] = sourceArn },
                ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Aws.ACCOUNT_ID },
            },
        }));
    }
}

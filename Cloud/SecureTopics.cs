using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.SNS;
using Constructs;

namespace ShelfAgent.Cloud;

/// <summary>
/// One way to make an SNS topic: its policy denies any publish that does not arrive over TLS
/// (aws:SecureTransport false). Written out rather than TopicProps.EnforceSSL, which CDK 2.160 only applies
/// once something else adds a topic policy.
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
}

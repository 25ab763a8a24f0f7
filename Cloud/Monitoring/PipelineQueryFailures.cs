using Amazon.CDK.AWS.SNS;
using Constructs;
using CfnRule = Amazon.CDK.AWS.Events.CfnRule;
using CfnRuleProps = Amazon.CDK.AWS.Events.CfnRuleProps;

namespace ShelfAgent.Cloud.Monitoring;

/// <summary>
/// Scheduler only sees StartQueryExecution succeed: a curation MERGE that Athena later fails or cancels (scan cap,
/// a bad row, a lost Lake Formation grant) would go unnoticed. Athena sends "Athena Query State Change" events to
/// the default bus (Athena user guide, "Monitor Athena query events with EventBridge"); this rule sends every
/// FAILED or CANCELLED query of the pipeline workgroup to the ops topic, with the query id to look up.
/// </summary>
public sealed class PipelineQueryFailures : Construct
{
    /// <summary>Creates the rule and lets it publish to the topic.</summary>
    public PipelineQueryFailures(Construct scope, string id, StageNaming naming, string pipelineWorkGroup, Topic alarmTopic)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(naming);
        ArgumentNullException.ThrowIfNull(alarmTopic);
        RuleName = $"shelfagent-{naming.Stage}-pipeline-query-failed";
        SecureTopics.AllowEventBridgeRules(alarmTopic, "PipelineQueryFailuresPublish", RuleName);
        Rule = new CfnRule(this, "Rule", new CfnRuleProps
        {
            Name = RuleName,
            Description = "Scheduled Athena queries (curation, training, source merges) that failed or were cancelled",
            State = "ENABLED",
            EventPattern = new Dictionary<string, object>
            {
                ["source"] = Source,
                ["detail-type"] = DetailType,
                ["detail"] = new Dictionary<string, object>
                {
                    ["currentState"] = States.ToArray(),
                    ["workgroupName"] = new[] { pipelineWorkGroup },
                },
            },
            Targets = new object[]
            {
                new CfnRule.TargetProperty
                {
                    Id = "ops-topic",
                    Arn = alarmTopic.TopicArn,
                    InputTransformer = new CfnRule.InputTransformerProperty
                    {
                        InputPathsMap = new Dictionary<string, string>
                        {
                            ["state"] = "$.detail.currentState",
                            ["query"] = "$.detail.queryExecutionId",
                            ["workgroup"] = "$.detail.workgroupName",
                        },
                        InputTemplate = "\"ShelfAgent " + naming.Stage + ": Athena query <query> in <workgroup> is <state> "
                            + "(aws athena get-query-execution --query-execution-id <query>)\"",
                    },
                },
            },
        });
    }

    private static readonly string[] Source = ["aws.athena"];
    private static readonly string[] DetailType = ["Athena Query State Change"];

    /// <summary>The query states that notify.</summary>
    public static IReadOnlyList<string> States { get; } = ["FAILED", "CANCELLED"];

    /// <summary>The rule's name (default event bus).</summary>
    public string RuleName { get; }

    /// <summary>The rule.</summary>
    public CfnRule Rule { get; }
}

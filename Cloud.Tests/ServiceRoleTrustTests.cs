namespace ShelfAgent.Cloud.Tests;

[Collection(CdkSynth.Name)]
public sealed class ServiceRoleTrustTests(SynthFixture synth)
{
    [Theory]
    // Seven rule roles, the log and the replay-queue error-action roles, and the two job templates' pre-signed URL roles.
    [InlineData("iot.amazonaws.com", "aws:SourceAccount", 11)]
    [InlineData("scheduler.amazonaws.com", "aws:SourceAccount", 2)] // curation and training, the release watch
    [InlineData("firehose.amazonaws.com", "sts:ExternalId", 3)]
    [InlineData("pipes.amazonaws.com", "aws:SourceAccount", 1)]
    [InlineData("ecs-tasks.amazonaws.com", "aws:SourceAccount", 1)] // the release evaluation's task role
    public void Service_role_trusts_its_service_only_for_this_account_when_assumed(string service, string key, int expectedRoles)
    {
        var trusts = synth.OfType("AWS::IAM::Role")
            .Select(r => r.Value["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]![0]!)
            .Where(s => s["Principal"]!["Service"]?.GetValue<string>() == service)
            .Where(s => s["Condition"] is not null)
            .ToList();

        Assert.Equal(expectedRoles, trusts.Count);
        Assert.All(trusts, s => Assert.Equal("${AWS::AccountId}", Cfn.Render(s["Condition"]!["StringEquals"]![key])));
    }

    [Fact]
    public void Only_the_provisioning_role_trusts_iot_without_an_account_condition_when_synthesized()
    {
        var unconditioned = synth.OfType("AWS::IAM::Role")
            .Where(r => r.Value["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]![0]!["Principal"]!["Service"] is not null)
            .Where(r => r.Value["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]![0]!["Condition"] is null)
            .Select(r => r.Key)
            .ToList();
        // Lambda's execution role (lambda.amazonaws.com) needs none: only Lambda itself assumes it. Nor do the two roles
        // CDK makes for the release evaluation: ECS's task execution role (image pull, logs) and the EventBridge target's
        // (ecs:RunTask of the one task definition, in the one cluster).
        Assert.Equal(13, unconditioned.Count);
        Assert.Single(unconditioned, id => id.StartsWith("DevicesProvisioningRole", StringComparison.Ordinal));
        Assert.Equal(10, unconditioned.Count(id => id.Contains("ServiceRole", StringComparison.Ordinal)));
        Assert.Single(unconditioned, id => id.StartsWith("ReleaseEvaluationTaskExecutionRole", StringComparison.Ordinal));
        Assert.Single(unconditioned, id => id.StartsWith("ReleaseEvaluationTaskEventsRole", StringComparison.Ordinal));
    }
}

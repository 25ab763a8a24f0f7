using ShelfAgent.IotCore;
using ShelfAgent.IotCore.Jobs;
using ShelfAgent.IotCore.Jobs.Operations;
using ShelfAgent.IotCore.Provisioning;

namespace ShelfAgent.Tests.IotCore.Jobs.Operations;

public sealed class RotationJobOutcomeTests
{
    [Fact]
    public void A_rotation_that_switched_succeeds_with_the_new_id_and_asks_for_a_restart()
    {
        var outcome = RotationJobOutcome.From(new RotationResult(RotationOutcome.Rotated, "rotated to certificate abc", "abc"));

        Assert.Equal(JobStatus.Succeeded, outcome.Status);
        Assert.True(outcome.RestartAfterReport);
        Assert.Contains(new KeyValuePair<string, string>("certificateId", "abc"), outcome.Details);
    }

    [Theory]
    [InlineData(RotationOutcome.NewCertificateRefused)]
    [InlineData(RotationOutcome.Failed)]
    public void A_rotation_that_did_not_switch_fails_saying_the_old_certificate_stays(RotationOutcome how)
    {
        var outcome = RotationJobOutcome.From(new RotationResult(how, "no"));

        Assert.Equal(JobStatus.Failed, outcome.Status);
        Assert.False(outcome.RestartAfterReport);
        Assert.Contains(new KeyValuePair<string, string>("kept", "the current certificate stays in agent.json and in use"), outcome.Details);
    }

    [Fact]
    public void A_rejected_step_carries_AWS_fields()
    {
        var outcome = RotationJobOutcome.From(new RotationResult(
            RotationOutcome.Rejected, "RegisterThing rejected", Error: new AwsIotError(400, "InvalidParameters", "missing SerialNumber")));

        Assert.Contains(new KeyValuePair<string, string>("statusCode", "400"), outcome.Details);
        Assert.Contains(new KeyValuePair<string, string>("errorCode", "InvalidParameters"), outcome.Details);
        Assert.Contains(new KeyValuePair<string, string>("errorMessage", "missing SerialNumber"), outcome.Details);
        Assert.True(StatusDetails.Limit([new("operation", "rotate-certificate"), new("attempt", "1"), .. outcome.Details]).Count <= 10);
    }
}

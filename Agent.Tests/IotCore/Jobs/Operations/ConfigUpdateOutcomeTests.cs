using ShelfAgent.Config.Runtime;
using ShelfAgent.IotCore.Jobs;
using ShelfAgent.IotCore.Jobs.Operations;

namespace ShelfAgent.Tests.IotCore.Jobs.Operations;

public sealed class ConfigUpdateOutcomeTests
{
    [Fact]
    public void All_keys_accepted_is_succeeded_listing_them_and_the_hash()
    {
        var outcome = ConfigUpdateOutcome.From(new ConfigApplyResult([new("Sampling:IntervalMs", true), new("Slots:A1:LowStockAt", true)], "abc123"));

        Assert.Equal(JobStatus.Succeeded, outcome.Status);
        Assert.Equal([new("applied", "Sampling:IntervalMs, Slots:A1:LowStockAt"), new("configHash", "abc123")], outcome.Details);
    }

    [Fact]
    public void A_refused_key_is_failed_with_the_key_and_its_reason_first()
    {
        var outcome = ConfigUpdateOutcome.From(
            new ConfigApplyResult([new("Sampling:IntervalMs", false, "must be 10–60000"), new("Publish:IntervalMs", true)], "h"));

        Assert.Equal(JobStatus.Failed, outcome.Status);
        Assert.Equal(new("reason", "1 of 2 keys refused"), outcome.Details[0]);
        Assert.Equal(new("Sampling:IntervalMs", "must be 10–60000"), outcome.Details[1]);
        Assert.Contains(new KeyValuePair<string, string>("applied", "Publish:IntervalMs"), outcome.Details);
    }
}

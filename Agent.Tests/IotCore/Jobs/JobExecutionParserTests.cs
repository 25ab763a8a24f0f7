using System.Text;
using ShelfAgent.IotCore.Jobs;

namespace ShelfAgent.Tests.IotCore.Jobs;

/// <summary>Payloads as the Jobs device MQTT API documents them (notify-next, start-next/accepted).</summary>
public sealed class JobExecutionParserTests
{
    [Fact]
    public void A_start_next_reply_gives_the_execution_with_its_document()
    {
        var json =
            """{"clientToken":"t1","timestamp":1700000000,"execution":{"jobId":"job-1","status":"IN_PROGRESS","queuedAt":1699999990,"startedAt":""" +
            """1700000000,"lastUpdatedAt":1700000000,"versionNumber":2,"executionNumber":1,"jobDocument":{"operation":"report-diagnostics"}}}""";

        Assert.True(JobExecutionParser.TryParse(Encoding.UTF8.GetBytes(json), out var execution, out var problem), problem);

        Assert.Equal(new JobExecution("job-1", JobStatus.InProgress, 1, 2, """{"operation":"report-diagnostics"}"""), execution);
    }

    [Fact]
    public void A_message_without_an_execution_means_nothing_is_pending()
    {
        Assert.True(JobExecutionParser.TryParse("""{"timestamp":1700000000}"""u8.ToArray(), out var execution, out _));
        Assert.Null(execution);
    }

    [Theory]
    [InlineData("""not json""")]
    [InlineData("""{"execution":{"status":"QUEUED"}}""")]
    [InlineData("""{"execution":{"jobId":"j","status":"DONE"}}""")]
    [InlineData("""{"execution":[]}""")]
    public void A_malformed_message_is_a_problem(string json)
    {
        Assert.False(JobExecutionParser.TryParse(Encoding.UTF8.GetBytes(json), out _, out var problem));
        Assert.NotNull(problem);
    }
}

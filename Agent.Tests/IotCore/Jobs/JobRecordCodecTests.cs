using System.Text;
using ShelfAgent.IotCore.Jobs;

namespace ShelfAgent.Tests.IotCore.Jobs;

public sealed class JobRecordCodecTests
{
    [Fact]
    public void A_running_and_a_finished_record_survive_the_round_trip()
    {
        var running = new JobRecord("job-1", 4, "rotate-certificate", JobPhase.Running, 2, null, "/etc/shelf-agent/certs/device.crt");
        var finished = new JobRecord("job-1", 4, null, JobPhase.Finished, 1, JobOutcome.Failed("why", new KeyValuePair<string, string>("k", "v")));

        foreach (var record in new[] { running, finished })
        {
            var back = JobRecordCodec.Decode(JobRecordCodec.Encode(record), out var problem);
            Assert.Null(problem);
            Assert.Equal(record with { Outcome = null }, back! with { Outcome = null });
            Assert.Equal(record.Outcome?.Status, back.Outcome?.Status);
            Assert.Equal(record.Outcome?.Details, back.Outcome?.Details);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"jobId\":\"j\",\"exec")]
    [InlineData("{\"jobId\":\"j\",\"executionNumber\":1,\"phase\":\"finished\",\"attempts\":1}")]
    [InlineData("{\"jobId\":\"j\",\"executionNumber\":1,\"phase\":\"dancing\",\"attempts\":1}")]
    public void A_torn_or_foreign_file_is_a_problem_not_an_exception(string text)
    {
        Assert.Null(JobRecordCodec.Decode(Encoding.UTF8.GetBytes(text), out var problem));
        Assert.NotNull(problem);
    }

    [Fact]
    public async Task The_state_file_saves_replaces_and_deletes_with_owner_only_access()
    {
        using var dir = new TempDirectory("jobs-state");
        var file = new JobStateFile(dir.File("jobs.json"));
        Assert.Equal((null, null), await file.LoadAsync(CancellationToken.None));

        await file.SaveAsync(new JobRecord("a", 1, "config-update", JobPhase.Running, 1, null), CancellationToken.None);
        await file.SaveAsync(new JobRecord("a", 1, "config-update", JobPhase.Finished, 1, JobOutcome.Succeeded()), CancellationToken.None);
        var (record, problem) = await file.LoadAsync(CancellationToken.None);

        Assert.Null(problem);
        Assert.Equal(JobPhase.Finished, record!.Phase);
        Assert.False(File.Exists(file.Path + ".tmp"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file.Path));
        file.Delete();
        Assert.Equal((null, null), await file.LoadAsync(CancellationToken.None));
    }
}

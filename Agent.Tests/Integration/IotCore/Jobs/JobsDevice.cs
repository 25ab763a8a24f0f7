using System.Text.Json.Nodes;
using ShelfAgent.LocalIot;
using ShelfAgent.LocalIot.Jobs;

namespace ShelfAgent.Tests.Integration.IotCore.Jobs;

/// <summary>
/// A thing on the local AWS IoT Core with its certificate and agent.json, for running the real agent against the Jobs
/// API; waits on the fixture's job state with a bound, never a fixed delay.
/// </summary>
public sealed class JobsDevice : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private JobsDevice(LocalIotCore core, TempDirectory dir, string thing, string config)
    {
        Core = core;
        Dir = dir;
        Thing = thing;
        Config = config;
    }

    public LocalIotCore Core { get; }

    public TempDirectory Dir { get; }

    public string Thing { get; }

    public string Config { get; }

    public string StateFile => Dir.File("jobs.json");

    public static async Task<JobsDevice> StartAsync(string thing)
    {
        var core = await LocalIotCore.StartAsync();
        var dir = new TempDirectory("jobs");
        await core.RegisterThingAsync(thing, new Dictionary<string, string> { ["storeId"] = "store-9" });
        var id = await core.IssueThingCertificateAsync(thing);
        var config = AgentConfigFile.Write(dir.File("agent.json"), core.Broker, thing, "store-9", id.CertFile, id.KeyFile, dir.File("outbox.db"), slots: 1, samplingMs: 200, publishMs: 500);
        return new JobsDevice(core, dir, thing, config);
    }

    public AgentProcess StartAgent(IReadOnlyDictionary<string, string>? environment = null) => AgentProcess.Start(["run", "--config", Config], environment);

    public Task CreateJobAsync(string jobId, string document) => Core.CreateJobAsync(Thing, jobId, (JsonObject)JsonNode.Parse(document)!);

    /// <summary>Waits until the execution satisfies <paramref name="done"/> (or the agent exits, or the bound passes).</summary>
    public async Task<JobExecution> WaitForAsync(string jobId, Func<JobExecution, bool> done, AgentProcess agent)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (DateTime.UtcNow < deadline && !agent.HasExited)
        {
            if (Core.JobExecution(Thing, jobId) is { } e && done(e))
            {
                return e;
            }

            await Task.Delay(100);
        }

        // Once more: the agent may have exited (a rotation restarts it) just after the execution ended.
        var last = Core.JobExecution(Thing, jobId);
        if (last is not null && done(last))
        {
            return last;
        }

        throw new Xunit.Sdk.XunitException($"job {jobId} is {last?.Status} ({string.Join(", ", last?.History ?? [])}); agent output:\n{agent.Output}");
    }

    /// <summary>
    /// True once the agent deleted its job record: it does so when the final update's /accepted arrives, which may be
    /// just after the fixture recorded the terminal status.
    /// </summary>
    public async Task<bool> RecordGoneAsync(AgentProcess agent)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (File.Exists(StateFile) && DateTime.UtcNow < deadline && !agent.HasExited)
        {
            await Task.Delay(50);
        }

        return !File.Exists(StateFile);
    }

    public Task<JobExecution> WaitForEndAsync(string jobId, AgentProcess agent) => WaitForAsync(jobId, e => e.IsTerminal, agent);

    public async ValueTask DisposeAsync()
    {
        await Core.DisposeAsync();
        Dir.Dispose();
    }
}

using System.Text.Json.Nodes;
using ShelfAgent.LocalIot;
using ShelfAgent.LocalIot.Jobs;

namespace ShelfAgent.Tests.Integration.IotCore.Jobs;

/// <summary>
/// A thing on the environment's local AWS IoT Core (one slot, sampling 200 ms, publishing 500 ms) for running the real
/// agent against the Jobs API; waits on the fixture's job state with a bound, never a fixed delay.
/// </summary>
public sealed class JobsDevice
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private readonly IntegrationEnvironment _env;

    private JobsDevice(IntegrationEnvironment env, TestDevice device)
    {
        _env = env;
        Device = device;
    }

    public TestDevice Device { get; }

    public LocalIotCore Core => _env.IotCore;

    public string Thing => Device.Thing;

    public string Config => Device.Config;

    /// <summary>The agent's record of the job it runs (jobs.json beside the buffer).</summary>
    public string StateFile => Device.File("jobs.json");

    /// <summary>The thing and its agent.json (one slot, sampling 200 ms, publishing 500 ms, then <paramref name="configure"/>).</summary>
    public static async Task<JobsDevice> CreateAsync(IntegrationEnvironment env, string thing, Action<AgentJson>? configure = null) => new(
        env,
        await env.DeviceAsync(
            thing,
            c =>
            {
                c.Slots(1).Set("Sampling:IntervalMs", 200).Set("Publish:IntervalMs", 500);
                configure?.Invoke(c);
            },
            store: "store-9"));

    /// <summary>The agent (the build output, or an installed <paramref name="executable"/> as systemd's ExecStart would run it).</summary>
    public AgentProcess StartAgent(IReadOnlyDictionary<string, string>? environment = null, string? executable = null) =>
        _env.StartAgent(["run", "--config", Device.Config], environment, executable: executable);

    public Task CreateJobAsync(string jobId, string document) => Core.CreateJobAsync(Thing, jobId, (JsonObject)JsonNode.Parse(document)!);

    /// <summary>Waits until the execution satisfies <paramref name="done"/>; fails if the agent exits first or the bound passes.</summary>
    public async Task<JobExecution> WaitForAsync(string jobId, Func<JobExecution, bool> done, AgentProcess agent)
    {
        JobExecution? last = null;
        await agent.WaitForAsync(
            () => (last = Core.JobExecution(Thing, jobId)) is { } e && done(e),
            $"job {jobId} reached the state the test waits for",
            Bound,
            () => $"job {jobId} is {Describe(Core.JobExecution(Thing, jobId))}");
        return last!;
    }

    public Task<JobExecution> WaitForEndAsync(string jobId, AgentProcess agent) => WaitForAsync(jobId, e => e.IsTerminal, agent);

    /// <summary>
    /// True once the agent deleted its job record: it does so when the final update's /accepted arrives, which may be
    /// just after the fixture recorded the terminal status. False if the agent exits or the bound passes first.
    /// </summary>
    public async Task<bool> RecordGoneAsync(AgentProcess agent)
    {
        await Eventually.WithinAsync(() => !File.Exists(StateFile) || agent.HasExited, Bound);
        return !File.Exists(StateFile);
    }

    private static string Describe(JobExecution? e) => e is null ? "not created" : $"{e.Status} ({string.Join(", ", e.History)})";
}

using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using ShelfAgent.LocalIot.Jobs;
using ShelfAgent.Update;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration.IotCore.Jobs;

/// <summary>
/// agent-update with the real agent process (issue 23, "Proof": SIGKILL at every step of the switch): a job from the local
/// AWS IoT Core, the archive from an HTTPS server on 127.0.0.1, an install tree as install.sh lays it out. The agent runs
/// as systemd runs it (<c>current/shelf-agent run</c>, started again whenever it ends); it is stopped at one step of the
/// switch (<see cref="UpdatePausePoint"/>) and SIGKILLed there, and the starts that follow must finish the update — or roll
/// it back — with the job's final status in the IoT Core.
/// </summary>
public sealed class AgentUpdateKillTests(ITestOutputHelper output)
{
    private const string Old = "1.0.0";
    private const string New = "1.1.0";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    public static TheoryData<string> Steps => [.. UpdatePausePoint.Steps];

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task A_SIGKILL_at_each_step_of_the_switch_is_finished_on_the_next_start_and_the_job_succeeds(string step)
    {
        await using var update = await UpdateAsync("shelf-kill-" + UpdatePausePoint.Steps.ToList().IndexOf(step));
        await update.CreateJobAsync();
        var killed = await update.RunAsSystemdUntilPausedAsync(step);

        await killed.KillAsync();
        var done = await update.RunAsSystemdUntilTheJobEndsAsync();

        Assert.True(done.Status == JobExecutionStatus.Succeeded, $"{done.Status}: {string.Join(", ", done.StatusDetails)}");
        Assert.Equal((New, Old), (done.StatusDetails["version"], done.StatusDetails["previous"]));
        Assert.Equal(New, update.Releases.CurrentVersion());
        Assert.Equal(UpdatePhase.Committed, update.Record()?.Phase);
        Assert.Equal(137, killed.ExitCode); // 128 + SIGKILL
    }

    [Fact]
    public async Task A_SIGKILL_after_the_switch_to_a_version_that_cannot_connect_is_rolled_back_and_the_job_fails_with_why()
    {
        // The new release's launcher points it at a port nothing listens on: it starts, never connects, and rolls back.
        await using var update = await UpdateAsync("shelf-kill-rb", newEnvironment: $"SHELFAGENT_Mqtt__Port={FreePort.Next()}");
        await update.CreateJobAsync();
        var killed = await update.RunAsSystemdUntilPausedAsync("after-switch");

        await killed.KillAsync();
        var done = await update.RunAsSystemdUntilTheJobEndsAsync();

        Assert.True(done.Status == JobExecutionStatus.Failed, $"{done.Status}: {string.Join(", ", done.StatusDetails)}");
        Assert.Contains("did not connect to the broker within Update:HealthWindowSeconds", done.StatusDetails["reason"], StringComparison.Ordinal);
        Assert.Equal(("rolled-back", Old, New), (done.StatusDetails["phase"], done.StatusDetails["version"], done.StatusDetails["refused"]));
        Assert.Equal(Old, update.Releases.CurrentVersion());
    }

    [Fact]
    public async Task A_rollback_to_a_release_that_cannot_read_the_buffer_keeps_its_rows_aside_and_the_failed_reason_says_so()
    {
        await using var update = await UpdateAsync("shelf-kill-schema", newEnvironment: $"SHELFAGENT_Mqtt__Port={FreePort.Next()}");
        await update.CreateJobAsync();
        var killed = await update.RunAsSystemdUntilPausedAsync("after-switch");
        await killed.KillAsync();

        // The new release runs on trial; its buffer moves to a schema the previous release does not read (as a release
        // that changed the schema would), then it rolls back (it cannot connect).
        var onTrial = update.Start();
        await onTrial.WaitForOutputAsync("is on trial", Bound);
        var readings = update.MoveBufferToSchema(RolledBackBuffer.ReadableSchema + 1);
        var done = await update.RunAsSystemdUntilTheJobEndsAsync(onTrial);

        Assert.True(done.Status == JobExecutionStatus.Failed, $"{done.Status}: {string.Join(", ", done.StatusDetails)}");
        var reason = done.StatusDetails["reason"];
        Assert.StartsWith($"{Old} cannot read outbox schema {RolledBackBuffer.ReadableSchema + 1} (reads up to {RolledBackBuffer.ReadableSchema})", reason);
        var kept = Assert.Single(
            Directory.GetFiles(update.BufferFolder, $"outbox.db.schema{RolledBackBuffer.ReadableSchema + 1}-*"),
            f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal));
        Assert.Contains(Path.GetFileName(kept), reason, StringComparison.Ordinal);
        var keptReadings = ShelfAgent.Tests.Outbox.OutboxTestData.Scalar(kept, "SELECT count(*) FROM reading;");
        Assert.True(keptReadings >= readings, $"no row of the set-aside buffer was dropped ({keptReadings} < {readings})");
        Assert.Equal(Old, update.Releases.CurrentVersion());
    }

    private async Task<UpdateFixture> UpdateAsync(string thing, params string[] newEnvironment)
    {
        var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, output);
        var fixture = new UpdateFixture(env);
        try
        {
            await fixture.PrepareAsync(thing, newEnvironment);
            return fixture;
        }
        catch
        {
            await fixture.DisposeAsync();
            throw;
        }
    }

    /// <summary>One device with release <see cref="Old"/> installed, the archive of <see cref="New"/> served and signed.</summary>
    private sealed class UpdateFixture(IntegrationEnvironment env) : IAsyncDisposable
    {
        private readonly HttpsFileServer _server = new();
        private readonly SigningKey _key = new();
        private JobsDevice? _device;
        private string _install = "";
        private JsonObject? _job;

        public ReleaseStore Releases => new(_install);

        private JobsDevice Device => _device ?? throw new InvalidOperationException("not prepared");

        public async Task PrepareAsync(string thing, string[] newEnvironment)
        {
            _install = Directory.CreateDirectory(env.File("opt")).FullName;
            TestRelease.Install(_install, Old, TestRelease.Launcher(Old));
            var bytes = await TestRelease.ArchiveAsync(env.File("release"), New, TestRelease.Launcher(New, newEnvironment));
            var url = _server.Serve($"/releases/shelf-agent-{New}-linux-x64.tar.gz", bytes);
            _job = new JsonObject
            {
                ["operation"] = "agent-update",
                ["version"] = New,
                ["url"] = url.ToString(),
                ["size"] = bytes.Length,
                ["sha256"] = TestRelease.Sha256(bytes),
                ["signature"] = _key.Sign(bytes),
                ["keyId"] = _key.Id,
            };
            _device = await JobsDevice.CreateAsync(env, thing, c => c
                .Set("Update:TrustedKeys", new JsonArray(_key.PublicBase64))
                .Set("Update:InstallPath", _install)
                .Set("Update:HealthWindowSeconds", ShelfAgent.Config.UpdateOptions.MinHealthWindowSeconds));
        }

        public Task CreateJobAsync() => Device.CreateJobAsync("job-update", _job!.ToJsonString());

        public string BufferFolder => Device.Device.Folder;

        /// <summary>Sets the buffer's PRAGMA user_version (from outside, as a newer release would have); its reading count.</summary>
        public long MoveBufferToSchema(int schema)
        {
            using var db = new SqliteConnection($"Data Source={Device.Device.File("outbox.db")};Pooling=False");
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = $"PRAGMA user_version={schema}; SELECT count(*) FROM reading;";
            return (long)cmd.ExecuteScalar()!;
        }

        public UpdateRecord? Record() => new UpdateRecordFile(Path.Combine(Device.Device.Folder, "updates")).Load(out _);

        /// <summary>The installed agent, as ExecStart starts it; with <paramref name="pauseAt"/>, stopped at that step.</summary>
        public AgentProcess Start(string? pauseAt = null)
        {
            // The download trusts the test server's CA the way the agent trusts any HTTPS server: OpenSSL's SSL_CERT_FILE.
            var environment = new Dictionary<string, string> { ["SSL_CERT_FILE"] = _server.CaFile };
            if (pauseAt is not null)
            {
                environment[UpdatePausePoint.Variable] = pauseAt;
            }

            return Device.StartAgent(environment, Path.Combine(_install, "current", "shelf-agent"));
        }

        /// <summary>
        /// Restart=always, with the agent told to stop at <paramref name="step"/>: starts <c>current</c> again whenever the
        /// agent ends (the update's own restart included) until one start reaches the step; that one, still running.
        /// </summary>
        public async Task<AgentProcess> RunAsSystemdUntilPausedAsync(string step)
        {
            for (var start = 1; start <= 3; start++)
            {
                var agent = Start(step);
                await Eventually.UntilAsync(
                    () => agent.HasExited || agent.Output.Contains($"paused {step}", StringComparison.Ordinal),
                    Bound,
                    $"start {start} ended or paused {step}",
                    env.Diagnostics);
                if (!agent.HasExited)
                {
                    return agent;
                }
            }

            throw new Xunit.Sdk.XunitException($"no start reached {step} within 3 starts:\n{env.Diagnostics()}");
        }

        /// <summary>
        /// Restart=always: starts <c>current</c> again whenever the agent ends (the update's own restarts and rollbacks
        /// included) until the job is final in the IoT Core; a bounded number of starts.
        /// </summary>
        /// <param name="running">A start already running, waited for first.</param>
        public async Task<JobExecution> RunAsSystemdUntilTheJobEndsAsync(AgentProcess? running = null)
        {
            for (var start = 1; start <= 6; start++)
            {
                var agent = start == 1 && running is not null ? running : Start();
                await Eventually.UntilAsync(
                    () => agent.HasExited || Device.Core.JobExecution(Device.Thing, "job-update") is { IsTerminal: true },
                    Bound,
                    $"start {start} ended or the job became final",
                    () => $"job: {Device.Core.JobExecution(Device.Thing, "job-update")?.Status}\n{env.Diagnostics()}");
                if (Device.Core.JobExecution(Device.Thing, "job-update") is { IsTerminal: true } done)
                {
                    return done;
                }
            }

            throw new Xunit.Sdk.XunitException($"the job did not end within 6 starts:\n{env.Diagnostics()}");
        }

        public async ValueTask DisposeAsync()
        {
            await env.DisposeAsync();
            await _server.DisposeAsync();
            _key.Dispose();
        }
    }
}

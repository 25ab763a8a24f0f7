using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ShelfAgent.Artifacts;
using ShelfAgent.IotCore.Jobs;
using ShelfAgent.Update;

namespace ShelfAgent.Tests.Update;

/// <summary>
/// agent-update's whole path on real parts: an archive made by release/build.sh, served by an HTTPS server on 127.0.0.1,
/// signed with a P-256 key, unpacked into a real install folder whose <c>current</c> link is switched, update.state on
/// disk, the guard's health gate on a fake clock and release/rollback.sh for a version that cannot start. "Old" and
/// "new" versions are this process told which release it is (the restart between them is systemd's).
/// </summary>
public sealed class AgentUpdateTests : IAsyncDisposable
{
    private const string Old = "1.0.0";
    private const string New = "1.1.0";
    private readonly TempDirectory _dir = new("agent-update");
    private readonly HttpsFileServer _server = new();
    private readonly SigningKey _key = new();
    private readonly string _install;
    private readonly UpdateRecordFile _records;
    private readonly ReleaseStore _releases;

    public AgentUpdateTests()
    {
        _install = Directory.CreateDirectory(_dir.File("opt")).FullName;
        TestRelease.Install(_install, Old, "old");
        _records = new UpdateRecordFile(_dir.File("updates"));
        _releases = new ReleaseStore(_install);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _key.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_good_update_is_switched_restarted_verified_and_committed()
    {
        var job = await JobAsync();

        var first = await RunAsync(Old, job);

        Assert.Equal(JobStatus.InProgress, first.Status);
        Assert.True(first.RestartAfterReport);
        Assert.Equal(New, _releases.CurrentVersion());
        Assert.Equal("new 1.1.0", await File.ReadAllTextAsync(Path.Combine(_install, "current", "shelf-agent")));
        Assert.Equal(UpdatePhase.Switched, _records.Load(out _)!.Phase);

        // systemd starts the new release: the guard puts it on trial, the job reports verifying and waits for the verdict.
        var trial = new UpdateTrial();
        var progress = new RecordedProgress();
        var run = RunAsync(New, job, trial, progress);
        var (guard, stopped) = await StartGuardAsync(New, trial, new HealthSample(true, true, null));
        var outcome = await run;
        await guard.StopAsync(CancellationToken.None);

        Assert.Equal(JobStatus.Succeeded, outcome.Status);
        Assert.Contains(new KeyValuePair<string, string>("phase", "verifying"), progress.Reports.SelectMany(r => r));
        Assert.Equal(UpdatePhase.Committed, _records.Load(out _)!.Phase);
        Assert.False(stopped.IsCancellationRequested);
        Assert.True(_releases.Has(Old), "the previous release stays for a manual rollback");
    }

    [Theory]
    [InlineData("hash")]
    [InlineData("signature")]
    [InlineData("unknown-key")]
    [InlineData("size")]
    public async Task A_refused_archive_fails_the_job_with_the_check_and_leaves_current_alone(string check)
    {
        var job = await JobAsync();
        using var stranger = new SigningKey();
        var archive = job.Archive;
        job = check switch
        {
            "hash" => job with { Archive = archive with { Sha256 = new string('0', 64) } },
            "signature" => job with { Archive = archive with { Signature = _key.Sign([1, 2, 3]) } },
            "unknown-key" => job with { Archive = archive with { Signature = stranger.Sign(await DownloadAsync(archive)), KeyId = stranger.Id } },
            _ => job with { Archive = archive with { Size = archive.Size + 1 } },
        };

        var outcome = await RunAsync(Old, job);

        Assert.Equal(JobStatus.Failed, outcome.Status);
        Assert.Contains(new KeyValuePair<string, string>("check", check), outcome.Details);
        Assert.Equal(Old, _releases.CurrentVersion());
        Assert.False(Directory.Exists(_releases.FolderOf(New)));
    }

    [Fact]
    public async Task An_oversized_download_is_refused_before_any_byte()
    {
        var job = await JobAsync();

        var outcome = await RunAsync(Old, job, maxBytes: job.Archive.Size - 1);

        Assert.Contains(new KeyValuePair<string, string>("check", "too-large"), outcome.Details);
        Assert.Empty(_server.Requests);
        Assert.Equal(Old, _releases.CurrentVersion());
    }

    [Fact]
    public async Task A_truncated_download_is_resumed_and_the_update_goes_on()
    {
        var job = await JobAsync();
        _server.CutNext(responses: 1, afterBytes: job.Archive.Size / 2);

        var outcome = await RunAsync(Old, job);

        Assert.Equal(JobStatus.InProgress, outcome.Status);
        Assert.Equal(New, _releases.CurrentVersion());
        Assert.Contains(_server.Requests, r => r.Range is not null);
    }

    [Fact]
    public async Task A_downgrade_is_rejected_unless_the_job_allows_it()
    {
        var job = await JobAsync();

        var refused = await RunAsync("2.0.0", job);

        Assert.Equal(JobStatus.Rejected, refused.Status);
        Assert.Contains("allowDowngrade", refused.Details[0].Value, StringComparison.Ordinal);
        var allowed = await RunAsync("2.0.0", job with { AllowDowngrade = true }, jobId: "job-2");
        Assert.Equal(JobStatus.InProgress, allowed.Status);
    }

    [Fact]
    public async Task A_new_version_that_cannot_connect_rolls_back_by_itself_and_the_previous_one_reports_failed()
    {
        var job = await JobAsync();
        await RunAsync(Old, job);

        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T10:00:00Z"));
        var (guard, stopped) = await StartGuardAsync(New, new UpdateTrial(), new HealthSample(false, false, null), time);
        await Eventually.UntilAsync(
            () =>
            {
                time.Advance(TimeSpan.FromSeconds(10));
                return stopped.IsCancellationRequested;
            },
            TimeSpan.FromSeconds(30),
            "the guard rolls back after Update:HealthWindowSeconds");
        await guard.StopAsync(CancellationToken.None);

        Assert.Equal(Old, _releases.CurrentVersion());
        var outcome = await RunAsync(Old, job);
        Assert.Equal(JobStatus.Failed, outcome.Status);
        Assert.Contains("did not connect to the broker within Update:HealthWindowSeconds (30 s)", outcome.Details[0].Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_version_that_crashes_at_start_is_rolled_back_by_the_guard_unit_and_reported_failed()
    {
        var job = await JobAsync();
        await RunAsync(Old, job);

        // systemd gave up restarting it (StartLimitBurst) and ran OnFailure=shelf-agent-rollback.service.
        var output = await RollbackScriptAsync();

        Assert.Contains("switched current back to releases/1.0.0", output, StringComparison.Ordinal);
        Assert.Equal(Old, _releases.CurrentVersion());
        var outcome = await RunAsync(Old, job);
        Assert.Equal(JobStatus.Failed, outcome.Status);
        Assert.Contains("could not keep running", outcome.Details[0].Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_crash_loop_inside_the_window_is_rolled_back_by_the_new_version_itself()
    {
        var job = await JobAsync();
        await RunAsync(Old, job);
        await _records.SaveAsync(_records.Load(out _)! with { Starts = UpdateHealth.MaxTrialStarts }, CancellationToken.None);

        var (guard, stopped) = await StartGuardAsync(New, new UpdateTrial(), new HealthSample(false, true, null));
        await Eventually.UntilAsync(() => stopped.IsCancellationRequested, TimeSpan.FromSeconds(30), "the guard rolls back a crash loop");
        await guard.StopAsync(CancellationToken.None);

        Assert.Equal(Old, _releases.CurrentVersion());
        Assert.Contains("crash loop", _records.Load(out _)!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_rollback_guard_does_nothing_without_a_switched_update()
    {
        var output = await RollbackScriptAsync();

        Assert.Contains("nothing to roll back", output, StringComparison.Ordinal);
        Assert.Equal(Old, _releases.CurrentVersion());
    }

    /// <summary>
    /// A kill between any two steps leaves update.state naming the last step done; the next start goes on. Each case sets
    /// the files as a SIGKILL at that point leaves them, then runs the start that follows.
    /// </summary>
    [Theory]
    [InlineData("after-download")]
    [InlineData("after-unpack")]
    [InlineData("before-link-switch")]
    [InlineData("after-link-switch")]
    public async Task A_kill_at_each_step_before_the_restart_is_finished_on_the_next_start(string step)
    {
        var job = await JobAsync();
        var record = new UpdateRecord("job-1", Old, New, UpdatePhase.Fetching);
        using var http = new HttpClient(_server.TrustingHandler());
        var fetcher = new ArtifactFetcher(new ArtifactDownloader(http, TimeProvider.System), Keys(), _records.Directory, 1L << 30);
        await fetcher.FetchAsync(job.Archive, CancellationToken.None);
        if (step != "after-download")
        {
            await _releases.UnpackAsync(fetcher.PathOf(job.Archive), New, CancellationToken.None);
        }

        var phase = step switch { "after-download" => UpdatePhase.Fetching, "after-unpack" => UpdatePhase.Unpacked, _ => UpdatePhase.Switched };
        record = record with { Phase = phase };
        await _records.SaveAsync(record, CancellationToken.None);
        if (step == "after-link-switch")
        {
            _releases.Switch(New);
        }

        // The old binary starts again (after-link-switch: systemd would start the new one; the old one must cope too).
        var outcome = await RunAsync(Old, job);

        Assert.Equal(JobStatus.InProgress, outcome.Status);
        Assert.True(outcome.RestartAfterReport);
        Assert.Equal(New, _releases.CurrentVersion());
        Assert.Equal(UpdatePhase.Switched, _records.Load(out _)!.Phase);
    }

    [Theory]
    [InlineData(UpdatePhase.Committed, JobStatus.Succeeded)]
    [InlineData(UpdatePhase.RolledBack, JobStatus.Failed)]
    public async Task A_kill_before_or_after_the_commit_reports_the_verdict_on_the_next_start(UpdatePhase phase, JobStatus status)
    {
        var job = await JobAsync();
        await RunAsync(Old, job);
        var reason = phase == UpdatePhase.RolledBack ? "test" : null;
        await _records.SaveAsync(_records.Load(out _)! with { Phase = phase, Reason = reason }, CancellationToken.None);
        var running = phase == UpdatePhase.Committed ? New : Old;
        if (phase == UpdatePhase.RolledBack)
        {
            // Killed after writing rolled-back, before switching back: the new version's next start finishes the rollback.
            var (guard, stopped) = await StartGuardAsync(New, new UpdateTrial(), new HealthSample(true, true, null));
            await Eventually.UntilAsync(() => stopped.IsCancellationRequested, TimeSpan.FromSeconds(30), "the rollback is finished");
            await guard.StopAsync(CancellationToken.None);
            Assert.Equal(Old, _releases.CurrentVersion());
        }

        var outcome = await RunAsync(running, job);

        Assert.Equal(status, outcome.Status);
    }

    [Fact]
    public async Task A_kill_during_the_trial_counts_a_start_and_keeps_the_window_from_the_first()
    {
        var job = await JobAsync();
        await RunAsync(Old, job);
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T10:00:00Z"));

        var (guard, _) = await StartGuardAsync(New, new UpdateTrial(), new HealthSample(false, false, null), time);
        await Eventually.UntilAsync(() => _records.Load(out _)!.Starts == 1, TimeSpan.FromSeconds(30), "the first start is counted");
        await guard.StopAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(20));
        (guard, _) = await StartGuardAsync(New, new UpdateTrial(), new HealthSample(false, false, null), time);
        await Eventually.UntilAsync(() => _records.Load(out _)!.Starts == 2, TimeSpan.FromSeconds(30), "the second start is counted");
        await guard.StopAsync(CancellationToken.None);

        Assert.Equal(DateTimeOffset.Parse("2026-12-07T10:00:00Z"), _records.Load(out _)!.TrialSince);
    }

    private TrustedKeySet Keys() => TrustedKeySet.Parse([_key.PublicBase64], out _);

    private async Task<JobOutcome> RunAsync(
        string running, AgentUpdateJob job, UpdateTrial? trial = null, RecordedProgress? progress = null, long maxBytes = 1L << 30, string jobId = "job-1")
    {
        using var http = new HttpClient(_server.TrustingHandler());
        var downloader = new ArtifactDownloader(http, TimeProvider.System) { RetryDelay = TimeSpan.Zero };
        var operation = new AgentUpdateOperation(
            new ArtifactFetcher(downloader, Keys(), _records.Directory, maxBytes), _releases, _records, running, trial ?? new UpdateTrial(), hasKeys: true);
        return await ((IJobOperation)operation).RunAsync(job, progress ?? new RecordedProgress(jobId), CancellationToken.None);
    }

    private async Task<(UpdateGuardService Guard, CancellationTokenSource Stopped)> StartGuardAsync(
        string running, UpdateTrial trial, HealthSample health, TimeProvider? time = null)
    {
        var stopped = new CancellationTokenSource();
        var guard = new UpdateGuardService(
            _records, _releases, running, TimeSpan.FromSeconds(30), () => health, trial, stopped.Cancel, time ?? TimeProvider.System,
            NullLogger<UpdateGuardService>.Instance);
        await guard.StartAsync(CancellationToken.None);
        return (guard, stopped);
    }

    private async Task<string> RollbackScriptAsync()
    {
        // rollback.sh takes a root: lay the install folder and the state where /opt and /var/lib are under it.
        var root = _dir.File("root");
        Directory.CreateDirectory(Path.Combine(root, "opt"));
        Directory.CreateDirectory(Path.Combine(root, "var", "lib", "shelf-agent"));
        if (!Directory.Exists(Path.Combine(root, "opt", "shelf-agent")))
        {
            Directory.CreateSymbolicLink(Path.Combine(root, "opt", "shelf-agent"), _install);
            Directory.CreateSymbolicLink(Path.Combine(root, "var", "lib", "shelf-agent", "updates"), _records.Directory);
        }

        Directory.CreateDirectory(_records.Directory);
        return await Shell.OkAsync(Path.Combine(RepoPaths.Root, "release", "rollback.sh"), root);
    }

    private async Task<byte[]> DownloadAsync(ArtifactSpec spec)
    {
        using var http = new HttpClient(_server.TrustingHandler());
        return await http.GetByteArrayAsync(spec.Url);
    }

    /// <summary>The archive of version <see cref="New"/> made by release/build.sh, served and signed, as a job describes it.</summary>
    private async Task<AgentUpdateJob> JobAsync()
    {
        var bytes = await TestRelease.ArchiveAsync(_dir.Path, New, "new " + New);
        var url = _server.Serve("/releases/shelf-agent-1.1.0-linux-x64.tar.gz", bytes);
        var spec = new ArtifactSpec(url, bytes.Length, TestRelease.Sha256(bytes), _key.Sign(bytes), null);
        return new AgentUpdateJob(New, spec, AllowDowngrade: false);
    }

    /// <summary>The IN_PROGRESS reports an operation made (the jobs client sends them to AWS IoT Jobs).</summary>
    private sealed class RecordedProgress(string jobId = "job-1") : IJobProgress
    {
        public List<IReadOnlyList<KeyValuePair<string, string>>> Reports { get; } = [];

        public string JobId => jobId;

        public Task ReportAsync(IReadOnlyList<KeyValuePair<string, string>> details, CancellationToken cancellationToken)
        {
            Reports.Add(details);
            return Task.CompletedTask;
        }
    }
}

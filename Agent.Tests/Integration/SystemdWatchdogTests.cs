using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ShelfAgent.Tests.Integration;

/// <summary>
/// The real agent process under a systemd-compatible notification socket (sd_notify(3)): NOTIFY_SOCKET,
/// WATCHDOG_USEC and WATCHDOG_PID as systemd sets them for a unit with Type=notify and WatchdogSec=.
/// </summary>
public sealed class SystemdWatchdogTests(SharedBroker shared) : IClassFixture<SharedBroker>
{
    // Short, so the test is quick; the agent pings every half of it.
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(3);

    // Generous upper bounds for a loaded machine; each wait returns as soon as its condition holds.
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Bound = 10 * Watchdog;

    [Fact]
    public async Task Agent_says_ready_feeds_the_watchdog_and_says_stopping_on_sigterm()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared);
        using var notify = new SystemdNotifySocket(env.File("notify.sock"));
        var device = await env.DeviceAsync("shelf-sd-ready", c => c.Slots(2));
        var agent = StartAgent(env, device, notify);

        Assert.True(await notify.WaitForAsync("READY=1", 1, StartBound), "no READY=1:\n" + agent.Output);
        var before = notify.Count("WATCHDOG=1");
        Assert.True(await notify.WaitForAsync("WATCHDOG=1", before + 3, Bound), "WATCHDOG=1 does not flow:\n" + agent.Output);

        await agent.StopAsync();

        Assert.Equal(0, agent.ExitCode);
        Assert.True(await notify.WaitForAsync("STOPPING=1", 1, Bound), "no STOPPING=1:\n" + agent.Output);
        Assert.True(notify.Assignments.ToList().IndexOf("READY=1") < notify.Assignments.ToList().IndexOf("STOPPING=1"));
    }

    [Fact]
    public async Task Watchdog_is_not_fed_while_the_outbox_file_is_locked_and_is_fed_again_once_it_is_released()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared);
        using var notify = new SystemdNotifySocket(env.File("notify.sock"));
        var device = await env.DeviceAsync("shelf-sd-wedge", c => c.Slots(2));
        var agent = StartAgent(env, device, notify);
        Assert.True(await notify.WaitForAsync("READY=1", 1, StartBound), "no READY=1:\n" + agent.Output);
        Assert.True(await notify.WaitForAsync("WATCHDOG=1", notify.Count("WATCHDOG=1") + 2, Bound), "WATCHDOG=1 does not flow:\n" + agent.Output);

        // Another process's write lock on the outbox: every commit of the agent now waits (and, after its busy
        // time-out, fails), the way a wedged SD card or a stuck transaction would hold it.
        var wedged = new SqliteConnection($"Data Source={device.Outbox};Pooling=False;Default Timeout=60");
        await wedged.OpenAsync();
        using (var begin = wedged.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE;";
            await begin.ExecuteNonQueryAsync();
        }

        // systemd restarts a service that sends no WATCHDOG=1 for WatchdogSec: that gap must open.
        Assert.True(await notify.WaitForSilenceAsync("WATCHDOG=1", Watchdog, Bound), "WATCHDOG=1 kept coming while commits were blocked:\n" + agent.Output);
        Assert.Contains("Watchdog no longer fed (SamplingStalled", agent.Output, StringComparison.Ordinal);
        Assert.False(agent.HasExited);

        // No systemd here to restart it: once the lock goes, commits and keep-alives resume.
        var fedBefore = notify.Count("WATCHDOG=1");
        await wedged.DisposeAsync();
        Assert.True(await notify.WaitForAsync("WATCHDOG=1", fedBefore + 1, Bound), "WATCHDOG=1 did not resume:\n" + agent.Output);

        await agent.StopAsync();
        Assert.Equal(0, agent.ExitCode);
    }

    [Fact]
    public async Task A_run_killed_while_the_watchdog_was_not_fed_is_counted_as_a_watchdog_restart_and_a_clean_stop_is_not()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared);
        using var notify = new SystemdNotifySocket(env.File("notify.sock"));
        var device = await env.DeviceAsync("shelf-sd-restarts", c => c.Slots(2));
        var ledger = device.File("restarts.json");
        var agent = StartAgent(env, device, notify);
        Assert.True(await notify.WaitForAsync("READY=1", 1, StartBound), "no READY=1:\n" + agent.Output);
        Assert.Contains("\"run\":\"running\"", await File.ReadAllTextAsync(ledger), StringComparison.Ordinal);

        // Wedge the outbox as above; once the agent says it no longer feeds the watchdog, do what systemd does at
        // WatchdogSec: kill it without a stop (SIGABRT, then SIGKILL after TimeoutAbortSec=; here SIGKILL at once).
        var wedged = new SqliteConnection($"Data Source={device.Outbox};Pooling=False;Default Timeout=60");
        await wedged.OpenAsync();
        using (var begin = wedged.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE;";
            await begin.ExecuteNonQueryAsync();
        }

        await agent.WaitForOutputAsync("Watchdog no longer fed", Bound);
        await agent.WaitForAsync(() => File.ReadAllText(ledger).Contains("\"run\":\"stalled\"", StringComparison.Ordinal), "the ledger says stalled");
        await agent.KillAsync();
        await wedged.DisposeAsync();

        var again = StartAgent(env, device, notify);
        await again.WaitForOutputAsync("Restarted because the watchdog was not fed (restarts so far: 1 watchdog, 0 unclean", Bound);
        await again.StopAsync();
        Assert.Equal(0, again.ExitCode);
        var stopped = await File.ReadAllTextAsync(ledger);
        Assert.StartsWith("{\"run\":\"stopped\",\"watchdog\":1,\"unclean\":0,\"last\":\"watchdog\"", stopped, StringComparison.Ordinal);

        // Stopped cleanly: the next start counts nothing.
        var third = StartAgent(env, device, notify);
        await third.WaitForAsync(() => File.ReadAllText(ledger).Contains("\"run\":\"running\"", StringComparison.Ordinal), "the third run is marked");
        await third.StopAsync();
        Assert.DoesNotContain("Restarted because", third.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watchdog_is_not_fed_by_a_process_whose_pid_is_not_watchdog_pid()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared);
        using var notify = new SystemdNotifySocket(env.File("notify.sock"));
        var device = await env.DeviceAsync("shelf-sd-pid", c => c.Slots(2));
        // sd_watchdog_enabled(3): a WATCHDOG_PID that is not ours means the keep-alives are someone else's to send.
        var agent = env.StartAgent(device, new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = notify.Path,
            ["WATCHDOG_USEC"] = ((long)Watchdog.TotalMicroseconds).ToString(CultureInfo.InvariantCulture),
            ["WATCHDOG_PID"] = "1",
        });

        Assert.True(await notify.WaitForAsync("READY=1", 1, StartBound), "no READY=1:\n" + agent.Output);
        Assert.True(await notify.WaitForSilenceAsync("WATCHDOG=1", Watchdog, Bound));
        Assert.Equal(0, notify.Count("WATCHDOG=1"));
        await agent.StopAsync();
    }

    private static AgentProcess StartAgent(IntegrationEnvironment env, TestDevice device, SystemdNotifySocket notify) => env.StartAgent(
        device,
        new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = notify.Path,
            ["WATCHDOG_USEC"] = ((long)Watchdog.TotalMicroseconds).ToString(CultureInfo.InvariantCulture),
        },
        ["WATCHDOG_PID"]);
}

using System.Collections.Concurrent;
using System.Diagnostics;

namespace ShelfAgent.Tests.Integration;

/// <summary>
/// The real shelf-agent executable as a child process (the build output beside the tests), so tests can
/// SIGKILL it mid-run the way a power cut or the OOM killer would.
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private AgentProcess(Process process)
    {
        _process = process;
    }

    public string Output => string.Join('\n', _output);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The agent's PID (after the exec, the shell's).</summary>
    public int Id => _process.Id;

    /// <summary>Waits for the process to end by itself (no signal sent).</summary>
    public async Task WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
    }

    public static AgentProcess Start(params string[] args) => Start(args, null);

    public static AgentProcess Start(string[] args, IReadOnlyDictionary<string, string>? environment) => Start(args, environment, []);

    /// <summary>
    /// Starts the agent with <paramref name="ownPidVariables"/> (e.g. WATCHDOG_PID) set to the agent's own PID, as
    /// systemd sets them for a service's main process: a shell exports <c>$$</c> and execs dotnet in its place.
    /// </summary>
    public static AgentProcess Start(string[] args, IReadOnlyDictionary<string, string>? environment, IReadOnlyList<string> ownPidVariables)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "shelf-agent.dll");
        var exports = string.Concat(ownPidVariables.Select(v => $"export {v}=$$; "));
        var start = ownPidVariables.Count == 0
            ? new ProcessStartInfo("dotnet", [dll, .. args])
            : new ProcessStartInfo("/bin/sh", ["-c", exports + "exec dotnet \"$0\" \"$@\"", dll, .. args]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("shelf-agent did not start");
        var agent = new AgentProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) { agent._output.Enqueue(line); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { agent._output.Enqueue(line); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return agent;
    }

    /// <summary>Runs to completion and returns the exit code.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        await using var agent = Start(args);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await agent._process.WaitForExitAsync(cts.Token);
        agent._process.WaitForExit(); // drains the redirected streams
        return (agent.ExitCode, agent.Output);
    }

    /// <summary>SIGKILL: no chance to flush, close or say goodbye.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as systemd stops a service; waits for a clean exit.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}

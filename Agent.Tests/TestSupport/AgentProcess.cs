using System.Collections.Concurrent;
using System.Diagnostics;

namespace ShelfAgent.Tests.TestSupport;

/// <summary>
/// The real shelf-agent executable as a child process (the build output beside the tests, or an installed release), so tests can
/// SIGKILL it mid-run the way a power cut or the OOM killer would.
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    /// <summary>How long a wait on the agent may take on a loaded machine before the test fails.</summary>
    public static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private int _disposed;

    private AgentProcess(Process process, IReadOnlyList<string> arguments)
    {
        _process = process;
        Arguments = string.Join(' ', arguments);
    }

    /// <summary>The command line after <c>shelf-agent</c>, for failure messages.</summary>
    public string Arguments { get; }

    public string Output => string.Join('\n', _output);

    public bool HasExited => Volatile.Read(ref _disposed) == 1 || _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static AgentProcess Start(params string[] args) => Start(args, null);

    /// <summary>
    /// Starts the agent with <paramref name="environment"/> and <paramref name="ownPidVariables"/> (e.g. WATCHDOG_PID)
    /// set to the agent's own PID, as systemd sets them for a service's main process: a shell exports <c>$$</c> and
    /// execs dotnet in its place.
    /// </summary>
    /// <param name="args">The command line after <c>shelf-agent</c>.</param>
    /// <param name="environment">Variables added to the test's environment.</param>
    /// <param name="ownPidVariables">Variables set to the agent's own PID.</param>
    /// <param name="executable">
    /// An installed <c>shelf-agent</c> to start instead of the build output (e.g. <c>/opt/shelf-agent/current/shelf-agent</c>
    /// of a test install tree, as systemd's ExecStart does); without <paramref name="ownPidVariables"/> only.
    /// </param>
    public static AgentProcess Start(
        string[] args, IReadOnlyDictionary<string, string>? environment, IReadOnlyList<string>? ownPidVariables = null, string? executable = null)
    {
        ownPidVariables ??= [];
        var dll = Path.Combine(AppContext.BaseDirectory, "shelf-agent.dll");
        var exports = string.Concat(ownPidVariables.Select(v => $"export {v}=$$; "));
        var start = executable is not null ? new ProcessStartInfo(executable, args)
            : ownPidVariables.Count == 0
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
        var agent = new AgentProcess(process, args);
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) { agent._output.Enqueue(line); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { agent._output.Enqueue(line); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return agent;
    }

    /// <summary>How many times <paramref name="text"/> occurs in the output so far.</summary>
    public int CountOf(string text)
    {
        var output = Output;
        var n = 0;
        for (var i = output.IndexOf(text, StringComparison.Ordinal); i >= 0; i = output.IndexOf(text, i + text.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }

    /// <summary>Waits (bounded) until the output shows <paramref name="text"/>; fails with the output if the process exits first.</summary>
    public Task WaitForOutputAsync(string text, TimeSpan? bound = null) => WaitForAsync(
        () => Output.Contains(text, StringComparison.Ordinal), $"the agent printed \"{text}\"", bound);

    /// <summary>
    /// Waits (bounded) until <paramref name="condition"/> holds while the process runs; fails with the output (and
    /// <paramref name="diagnostic"/>) if it exits first (its last lines are read before the verdict) or the bound passes.
    /// </summary>
    public Task WaitForAsync(Func<bool> condition, string describe, TimeSpan? bound = null, Func<string>? diagnostic = null) => Eventually.UntilAsync(
        () =>
        {
            if (condition())
            {
                return true;
            }

            if (_process.HasExited)
            {
                _process.WaitForExit(); // drains the redirected streams
                if (condition())
                {
                    return true;
                }

                throw new Xunit.Sdk.XunitException(
                    $"The agent ({Arguments}) exited with {_process.ExitCode} before this: {describe}\n{diagnostic?.Invoke()}\n{Output}");
            }

            return false;
        },
        bound ?? DefaultBound,
        describe,
        () => $"{diagnostic?.Invoke()}\nagent ({Arguments}) output:\n{Output}");

    /// <summary>Waits (bounded) for the process to end by itself; fails with the output if it does not.</summary>
    public async Task WaitForExitAsync(TimeSpan bound)
    {
        using var cts = new CancellationTokenSource(bound);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"The agent ({Arguments}) did not exit within {bound.TotalSeconds:0} s:\n{Output}");
        }

        _process.WaitForExit(); // drains the redirected streams
    }

    /// <summary>Runs to completion and returns the exit code.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        await using var agent = Start(args);
        await agent.WaitForExitAsync(DefaultBound);
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

    /// <summary>Kills the process if it still runs; safe to call again (a test and its environment may both).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await KillAsync();
        _process.Dispose();
    }
}

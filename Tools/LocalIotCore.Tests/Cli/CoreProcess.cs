using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace ShelfAgent.LocalIot.Tests.Cli;

/// <summary>The local-iot-core executable as a person runs it: one long-running <c>start</c>, and commands from a second terminal.</summary>
internal sealed class CoreProcess : IAsyncDisposable
{
    private static readonly string Executable = Path.Combine(AppContext.BaseDirectory, "local-iot-core");
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private CoreProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is { } line) { _output.Enqueue(line); } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { _output.Enqueue(line); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output => string.Join('\n', _output);

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <c>local-iot-core start</c> and waits (bounded) until it wrote endpoint.json.</summary>
    public static async Task<CoreProcess> StartAsync(string state, int port)
    {
        var core = new CoreProcess(Process.Start(Start("start", "--state", state, "--port", port.ToString(CultureInfo.InvariantCulture)))!);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(Path.Combine(state, "endpoint.json")))
        {
            Assert.False(core._process.HasExited, core.Output);
            Assert.True(DateTime.UtcNow < deadline, "no endpoint.json within 30 s:\n" + core.Output);
            await Task.Delay(50);
        }

        return core;
    }

    /// <summary>One command to completion (bounded): its exit code and what it printed.</summary>
    public static async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        using var process = Process.Start(Start(args))!;
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(bound.Token);
        var stderr = process.StandardError.ReadToEndAsync(bound.Token);
        await process.WaitForExitAsync(bound.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>SIGTERM (what systemd and demo.sh send), then waits for the orderly exit.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync();
        }

        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(bound.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await StopAsync();
        }

        _process.Dispose();
    }

    private static ProcessStartInfo Start(params string[] args)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ShelfAgent.LocalIot.Broker;

namespace ShelfAgent.LocalIot.Tests.Broker;

/// <summary>
/// An independent subscriber for the broker's own tests: the real mosquitto_sub with a persistent session (-c), so
/// the broker keeps its subscription and queues its messages while it is down; mosquitto_sub reconnects by itself.
/// Collects "topic payload" lines. The broker needs <c>log_type subscribe</c> (<see cref="LoggedSubscriptions"/>).
/// </summary>
internal sealed class MosquittoSub : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<string> _errors = new();

    private MosquittoSub(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is { } line) { _lines.Enqueue(line); } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { _errors.Enqueue(line); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Broker options that log each subscription, so <see cref="StartAsync"/> knows when it is in place.</summary>
    public static MosquittoBrokerOptions LoggedSubscriptions => new() { ExtraLines = ["log_type subscribe"] };

    public string Errors => string.Join('\n', _errors);

    public static async Task<MosquittoSub> StartAsync(MosquittoBroker broker, string filter, string clientId)
    {
        var (cert, key) = broker.IssueDevice(clientId);
        var start = new ProcessStartInfo("mosquitto_sub",
        [
            "-h", broker.Host, "-p", broker.Port.ToString(CultureInfo.InvariantCulture), "--cafile", broker.CaFile, "--cert", cert, "--key", key,
            "-i", clientId, "-c", "-q", "1", "-t", filter, "-v",
        ])
        { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var sub = new MosquittoSub(Process.Start(start)!);
        // Subscribed once the broker logs "<client> <qos> <filter>" (the broker must have "log_type subscribe").
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!broker.ReadLog().Contains($"{clientId} 1 {filter}", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"mosquitto_sub did not connect: {sub.Errors}\n{broker.ReadLog()}");
            await Task.Delay(50);
        }

        return sub;
    }

    /// <summary>Waits (bounded) until a line "topic payload" with this payload arrived.</summary>
    public async Task<bool> WaitForAsync(string payload, TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        while (DateTime.UtcNow < deadline)
        {
            if (_lines.Any(l => l.EndsWith(" " + payload, StringComparison.Ordinal)))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

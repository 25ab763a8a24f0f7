using System.Collections.Concurrent;
using System.Diagnostics;
using ShelfAgent.LocalIot.Broker;

namespace ShelfAgent.Tests.Integration;

/// <summary>
/// An independent subscriber: the real mosquitto_sub, with its own device certificate and a persistent
/// session (-c), so the broker keeps its subscription and queues its messages across restarts. Collects
/// "topic payload" lines. mosquitto_sub 2.0.11 sometimes exits with "Protocol error" when the broker goes
/// away under load; it is then started again with the same client id, and the broker hands it what it
/// queued meanwhile, exactly as a supervised subscriber would get it.
/// </summary>
public sealed class MosquittoSubscriber : IAsyncDisposable
{
    private readonly ProcessStartInfo _start;
    private readonly ConcurrentQueue<(string Topic, string Payload)> _messages = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly object _gate = new();
    private Process _process = null!;
    private bool _disposed;

    private MosquittoSubscriber(ProcessStartInfo start)
    {
        _start = start;
    }

    public IReadOnlyCollection<(string Topic, string Payload)> Messages => _messages;

    public string Errors => string.Join('\n', _errors);

    /// <summary>How many times mosquitto_sub had to be started again.</summary>
    public int Restarts { get; private set; }

    public static async Task<MosquittoSubscriber> StartAsync(MosquittoBroker broker, string topicFilter, string clientId = "test-subscriber", (string CertFile, string KeyFile)? identity = null)
    {
        var (cert, key) = identity ?? broker.IssueDevice(clientId);
        var start = new ProcessStartInfo("mosquitto_sub",
        [
            "-h", broker.Host, "-p", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--cafile", broker.CaFile, "--cert", cert, "--key", key,
            "-i", clientId, "-c", "-q", "1", "-t", topicFilter, "-v",
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var subscriber = new MosquittoSubscriber(start);
        subscriber.Launch();
        await subscriber.WaitForSubscriptionAsync(broker, clientId);
        return subscriber;
    }

    /// <summary>Waits until the condition holds over the messages received so far.</summary>
    public async Task<bool> WaitUntilAsync(Func<IReadOnlyCollection<(string Topic, string Payload)>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition(_messages))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return condition(_messages);
    }

    public async ValueTask DisposeAsync()
    {
        Process process;
        lock (_gate)
        {
            _disposed = true;
            process = _process;
        }

        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private void Launch()
    {
        var process = new Process { StartInfo = _start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                _messages.Enqueue(space < 0 ? (line, "") : (line[..space], line[(space + 1)..]));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                _errors.Enqueue(line);
            }
        };
        process.Exited += (_, _) => _ = RelaunchAsync(process);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    private async Task RelaunchAsync(Process exited)
    {
        await Task.Delay(300);
        lock (_gate)
        {
            if (_disposed || !ReferenceEquals(exited, _process))
            {
                return;
            }

            _errors.Enqueue($"mosquitto_sub exited with {exited.ExitCode}; starting it again");
            Restarts++;
            Launch();
        }
    }

    private async Task WaitForSubscriptionAsync(MosquittoBroker broker, string clientId)
    {
        // mosquitto logs the connection with its client id; SUBSCRIBE follows CONNACK immediately.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var log = broker.ReadLog();
            if (log.Contains("New client connected from", StringComparison.Ordinal) && log.Contains($"as {clientId}", StringComparison.Ordinal))
            {
                await Task.Delay(200);
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"mosquitto_sub did not connect: {Errors}\n{broker.ReadLog()}");
    }
}

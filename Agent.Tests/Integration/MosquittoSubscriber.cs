using System.Collections.Concurrent;
using System.Diagnostics;

namespace ShelfAgent.Tests.Integration;

/// <summary>
/// An independent subscriber: the real mosquitto_sub, with its own device certificate and a persistent
/// session (-c), so it keeps its subscription across broker restarts. Collects "topic payload" lines.
/// </summary>
public sealed class MosquittoSubscriber : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<(string Topic, string Payload)> _messages = new();
    private readonly ConcurrentQueue<string> _errors = new();

    private MosquittoSubscriber(Process process)
    {
        _process = process;
    }

    public IReadOnlyCollection<(string Topic, string Payload)> Messages => _messages;

    public string Errors => string.Join('\n', _errors);

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
        var process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto_sub did not start");
        var subscriber = new MosquittoSubscriber(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                subscriber._messages.Enqueue(space < 0 ? (line, "") : (line[..space], line[(space + 1)..]));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                subscriber._errors.Enqueue(line);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
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

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto_sub exited ({_process.ExitCode}): {Errors}");
            }

            await Task.Delay(50);
        }

        return condition(_messages);
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

    private async Task WaitForSubscriptionAsync(MosquittoBroker broker, string clientId)
    {
        // mosquitto logs "<id> 1 <topic>" when a SUBSCRIBE is processed (log_type information).
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (broker.ReadLog().Contains($"New client connected from", StringComparison.Ordinal)
                && broker.ReadLog().Contains($"as {clientId}", StringComparison.Ordinal))
            {
                await Task.Delay(200); // SUBSCRIBE follows CONNACK immediately
                return;
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto_sub exited ({_process.ExitCode}): {Errors}");
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"mosquitto_sub did not connect: {Errors}\n{broker.ReadLog()}");
    }
}

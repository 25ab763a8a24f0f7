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

    /// <summary>
    /// Starts mosquitto_sub on <paramref name="topicFilter"/>. With <paramref name="basicIngest"/> (a plain broker, where no
    /// rule stands behind <c>$aws/rules/…</c>) it also subscribes to the filter's Basic Ingest form
    /// <c>$aws/rules/+/{filter}</c> and records those messages under the topic the rule would see: the stand-in for the
    /// cloud's rules that the local AWS IoT Core plays by republishing (Tools/LocalIotCore, Rules/BasicIngest).
    /// </summary>
    public static async Task<MosquittoSubscriber> StartAsync(
        MosquittoBroker broker, string topicFilter, string clientId = "test-subscriber", (string CertFile, string KeyFile)? identity = null,
        bool basicIngest = false)
    {
        var (cert, key) = identity ?? broker.IssueDevice(clientId);
        string[] args =
        [
            "-h", broker.Host, "-p", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--cafile", broker.CaFile, "--cert", cert, "--key", key,
            "-i", clientId, "-c", "-q", "1", "-t", topicFilter, "-v",
            .. basicIngest && !topicFilter.StartsWith('$') ? (string[])["-t", BasicIngestPrefix + "+/" + topicFilter] : [],
        ];
        await SubscribeOnceAsync(args);
        var subscriber = new MosquittoSubscriber(new ProcessStartInfo("mosquitto_sub", args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        });
        // The session holds QoS 1 messages for it from now on, but not QoS 0 ones (mosquitto drops those for an offline
        // session): wait until the broker logs the long-running subscriber's connection, which resumes the session.
        int Connections() => broker.ReadLog().Split('\n').Count(l => l.Contains($" as {clientId} (", StringComparison.Ordinal));
        var before = Connections();
        subscriber.Launch();
        await Eventually.UntilAsync(() => Connections() > before, TimeSpan.FromSeconds(30), $"mosquitto_sub {clientId} connected", () => subscriber.Errors);
        return subscriber;
    }

    /// <summary>The payloads received on topics ending with <paramref name="topicSuffix"/>, in order.</summary>
    public IReadOnlyList<string> Payloads(string topicSuffix) => TelemetryLog.Payloads(_messages, topicSuffix);

    /// <summary>Waits until the condition holds over the messages received so far.</summary>
    public Task<bool> WaitUntilAsync(Func<IReadOnlyCollection<(string Topic, string Payload)>, bool> condition, TimeSpan timeout) =>
        Eventually.WithinAsync(() => condition(_messages), timeout);

    public async ValueTask DisposeAsync()
    {
        Process process;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

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

    private const string BasicIngestPrefix = "$aws/rules/";

    /// <summary>$aws/rules/{rule}/{topic} → {topic}: what the rule reads; any other topic as it is.</summary>
    private static string RuleTopic(string topic)
    {
        var slash = topic.StartsWith(BasicIngestPrefix, StringComparison.Ordinal) ? topic.IndexOf('/', BasicIngestPrefix.Length) : -1;
        return slash < 0 ? topic : topic[(slash + 1)..];
    }

    private void Launch()
    {
        var process = new Process { StartInfo = _start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                var (topic, payload) = space < 0 ? (line, "") : (line[..space], line[(space + 1)..]);
                _messages.Enqueue((RuleTopic(topic), payload));
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
        await Task.Delay(300); // a pause before starting it again, as a supervisor would: not a wait for anything
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

    /// <summary>
    /// The signal that the subscription is in place: mosquitto_sub -E exits once the broker acknowledged the SUBSCRIBE.
    /// With -c the session keeps it, so what is published from then on waits for the long-running subscriber.
    /// </summary>
    private static async Task SubscribeOnceAsync(string[] args)
    {
        var start = new ProcessStartInfo("mosquitto_sub", [.. args, "-E"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var once = Process.Start(start) ?? throw new InvalidOperationException("mosquitto_sub did not start");
        var error = once.StandardError.ReadToEndAsync();
        _ = once.StandardOutput.ReadToEndAsync(); // retained messages, if any: the long-running subscriber gets them again
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await once.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            once.Kill();
            throw new TimeoutException($"mosquitto_sub {string.Join(' ', args)} got no SUBACK within 30 s");
        }

        if (once.ExitCode != 0)
        {
            throw new InvalidOperationException($"mosquitto_sub {string.Join(' ', args)} -E exited with {once.ExitCode}: {await error}");
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ShelfAgent.LocalIot.Pki;

namespace ShelfAgent.LocalIot.Broker;

/// <summary>
/// A real mosquitto on 127.0.0.1 with mutual TLS: the one way tests, the simulator and the demo start a broker.
/// Its CA (<see cref="CertificateAuthority"/>) issues the broker's certificate and devices' certificates; devices
/// authenticate by certificate and the CN becomes the user name (use_identity_as_username). The broker can be stopped
/// and started again on the same port to simulate an outage, and told to re-read its ACL (SIGHUP).
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private const string MosquittoPath = "/usr/sbin/mosquitto";
    private readonly WorkDirectory _dir;
    private readonly CertificateAuthority _ca;
    private Process? _process;

    private MosquittoBroker(WorkDirectory dir, CertificateAuthority ca, MosquittoBrokerOptions options)
    {
        _dir = dir;
        _ca = ca;
        Port = options.Port ?? FreePort.Next();
        if (options.ExternalPki is { } pki)
        {
            CaFile = pki.CaFile;
            ServerCertFile = pki.ServerCert;
            ServerKeyFile = pki.ServerKey;
            return;
        }

        CaFile = dir.File("ca.crt");
        ServerCertFile = dir.File("server.crt");
        ServerKeyFile = dir.File("server.key");
        if (!File.Exists(CaFile))
        {
            ca.WritePem(CaFile, dir.File("ca.key"));
        }

        using var server = ca.IssueServer("localhost", ["localhost"], [IPAddress.Loopback, IPAddress.IPv6Loopback]);
        server.WritePem(ServerCertFile, ServerKeyFile);
    }

    public int Port { get; }

    public string Host { get; } = "127.0.0.1";

    /// <summary>The CA that signed the broker and every device certificate from <see cref="IssueDevice"/>.</summary>
    public string CaFile { get; }

    public string Directory => _dir.Path;

    public string ServerCertFile { get; }

    public string ServerKeyFile { get; }

    public string LogFile => _dir.File("mosquitto.log");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The CA that signs the broker's and the devices' certificates (e.g. to sign a device's CSR).</summary>
    public CertificateAuthority CertificateAuthority => _ca;

    /// <summary>Writes the configuration (and, the first time in its folder, the CA) and starts mosquitto.</summary>
    public static async Task<MosquittoBroker> StartAsync(MosquittoBrokerOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(MosquittoPath))
        {
            throw new InvalidOperationException(
                $"{MosquittoPath} not found: install mosquitto (./test.sh and ./demo.sh do: apt-get install mosquitto mosquitto-clients).");
        }

        options ??= new();
        var dir = WorkDirectory.Open(options.Directory, "mosquitto");
        CertificateAuthority ca;
        try
        {
            // A CA name of its own per broker: .NET caches CRLs by issuer name, so two CAs must never share one.
            ca = File.Exists(dir.File("ca.crt")) && File.Exists(dir.File("ca.key"))
                ? CertificateAuthority.Load(dir.File("ca.crt"), dir.File("ca.key"))
                : CertificateAuthority.Create(options.CaName ?? "Test CA " + Guid.NewGuid().ToString("N")[..8]);
        }
        catch
        {
            dir.Dispose();
            throw;
        }

        var broker = new MosquittoBroker(dir, ca, options);
        try
        {
            await File.WriteAllLinesAsync(dir.File("mosquitto.conf"), MosquittoConfig.Lines(broker.Port, broker.CaFile, broker.ServerCertFile,
                broker.ServerKeyFile, broker.LogFile, dir.Path, options), cancellationToken).ConfigureAwait(false);
            await broker.StartAgainAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await broker.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return broker;
    }

    /// <summary>Issues a device certificate signed by this broker's CA and writes it as PEM; returns (cert, key) paths.</summary>
    public (string CertFile, string KeyFile) IssueDevice(string thingName, KeyKind kind = KeyKind.EcP256, KeyEncoding encoding = KeyEncoding.Pkcs8)
    {
        using var device = _ca.IssueClient(thingName, kind);
        var cert = _dir.File($"{thingName}-{kind}-{encoding}.crt");
        var key = _dir.File($"{thingName}-{kind}-{encoding}.key");
        device.WritePem(cert, key, encoding);
        return (cert, key);
    }

    /// <summary>Starts (or restarts after <see cref="StopAsync"/>) the broker on the same port and waits until it accepts TCP.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            return;
        }

        // mosquitto that cannot bind exits at once, but the probe below could meet whoever holds the port instead.
        if (await AnswersAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException(
                $"something already listens on 127.0.0.1:{Port} (another broker? a system mosquitto: 'systemctl stop mosquitto')");
        }

        var start = new ProcessStartInfo(MosquittoPath, ["-c", _dir.File("mosquitto.conf")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with {_process.ExitCode}: {ReadLog()}");
            }

            if (await AnswersAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException($"mosquitto did not listen on {Port}: {ReadLog()}");
    }

    /// <summary>Stops the broker (SIGTERM, so a persistent broker saves its sessions) and waits for it to exit.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            await SignalAsync("-TERM", _process.Id, cancellationToken).ConfigureAwait(false);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }

        _process.Dispose();
        _process = null;
    }

    /// <summary>
    /// SIGHUP: mosquitto re-reads its ACL file (mosquitto.conf(5) "acl_file … reloaded on SIGHUP"). Returns once the
    /// log shows the reload, so anything sent after it is judged by the new rules (mosquitto is single-threaded).
    /// </summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        if (_process is not { HasExited: false } process)
        {
            throw new InvalidOperationException("mosquitto is not running");
        }

        static int Reloads(string log) => log.Split('\n').Count(l => l.EndsWith("Reloading config.", StringComparison.Ordinal));
        var before = Reloads(ReadLog());
        await SignalAsync("-HUP", process.Id, cancellationToken).ConfigureAwait(false);
        await UntilLoggedAsync(log => Reloads(log) > before, TimeSpan.FromSeconds(15), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Returns once mosquitto's log satisfies <paramref name="condition"/> (e.g. it logged a client's disconnect): a
    /// bounded poll of the file, the only signal mosquitto gives. Throws <see cref="TimeoutException"/> with the log after
    /// <paramref name="bound"/>, <see cref="InvalidOperationException"/> when mosquitto exits meanwhile.
    /// </summary>
    public async Task UntilLoggedAsync(Func<string, bool> condition, TimeSpan bound, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(bound);
        while (!condition(ReadLog()))
        {
            if (_process is not { HasExited: false } process)
            {
                throw new InvalidOperationException($"mosquitto is not running: {ReadLog()}");
            }

            try
            {
                await Task.Delay(20, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"mosquitto's log did not show it within {bound.TotalSeconds} s: {ReadLog()}");
            }
        }
    }

    public string ReadLog()
    {
        if (!File.Exists(LogFile))
        {
            return "(no log)";
        }

        // mosquitto keeps the file open for writing: share it.
        using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Stops mosquitto; a temporary folder is removed, a given one kept.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _ca.Dispose();
        _dir.Dispose();
    }

    /// <summary>Whether anything accepts a TCP connection on the port.</summary>
    private async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var probe = new TcpClient();
            await probe.ConnectAsync(IPAddress.Loopback, Port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>kill(1): .NET can send only SIGKILL itself (Process.Kill).</summary>
    private static async Task SignalAsync(string signal, int pid, CancellationToken cancellationToken)
    {
        using var kill = Process.Start("kill", [signal, pid.ToString(CultureInfo.InvariantCulture)])
            ?? throw new InvalidOperationException("kill did not start");
        await kill.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
    }
}

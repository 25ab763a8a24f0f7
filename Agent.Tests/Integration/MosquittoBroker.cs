using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ShelfAgent.Security;

namespace ShelfAgent.Tests.Integration;

/// <summary>
/// A real mosquitto on 127.0.0.1 with mutual TLS, certificates made in the test by our dev CA.
/// Devices authenticate by certificate; the CN becomes the user name (use_identity_as_username).
/// The broker can be stopped and started again on the same port to simulate an outage.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private const string MosquittoPath = "/usr/sbin/mosquitto";
    private readonly TempDirectory _dir;
    private readonly DevCertificateAuthority _ca;
    private readonly MosquittoBrokerOptions _options;
    private Process? _process;

    private MosquittoBroker(TempDirectory dir, DevCertificateAuthority ca, MosquittoBrokerOptions options)
    {
        _dir = dir;
        _ca = ca;
        _options = options;
        Port = FreePort.Next();
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
        ca.WritePem(CaFile, dir.File("ca.key"));
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
    public DevCertificateAuthority CertificateAuthority => _ca;

    public static async Task<MosquittoBroker> StartAsync(MosquittoBrokerOptions? options = null)
    {
        if (!File.Exists(MosquittoPath))
        {
            throw new InvalidOperationException($"{MosquittoPath} not found: run ./test.sh, which installs mosquitto.");
        }

        var dir = new TempDirectory("mosquitto");
        var broker = new MosquittoBroker(dir, DevCertificateAuthority.Create("Test CA " + Guid.NewGuid().ToString("N")[..8]), options ?? new());
        broker.WriteConfig();
        await broker.StartAgainAsync();
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
    public async Task StartAgainAsync()
    {
        if (IsRunning)
        {
            return;
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

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"mosquitto did not listen on {Port}: {ReadLog()}");
    }

    /// <summary>Stops the broker (SIGTERM, so a persistent broker saves its sessions) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill!.WaitForExitAsync();
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
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

        int Reloads() => ReadLog().Split('\n').Count(l => l.EndsWith("Reloading config.", StringComparison.Ordinal));
        var before = Reloads();
        using (var hup = Process.Start("kill", ["-HUP", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await hup!.WaitForExitAsync(cancellationToken);
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(15));
        while (Reloads() == before)
        {
            await Task.Delay(20, cts.Token);
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

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _ca.Dispose();
        _dir.Dispose();
    }

    private void WriteConfig()
    {
        var lines = new List<string>
        {
            // Started as root, mosquitto would drop to the mosquitto user and lose access to our 0600 keys (mosquitto 2.0.11 then logs "Unable to load CA certificates … Permission denied"; seen on Debian 12).
            "user root",
            $"listener {Port} 127.0.0.1",
            $"cafile {CaFile}",
            $"certfile {ServerCertFile}",
            $"keyfile {ServerKeyFile}",
            "require_certificate true",
            "use_identity_as_username true",
            "tls_version tlsv1.2",
            $"log_dest file {LogFile}",
            "log_type error",
            "log_type warning",
            "log_type notice",
            "log_type information",
            "connection_messages true",
            // Never drop messages for a slow or briefly offline subscriber: tests count every one.
            "max_queued_messages 0",
            $"persistence {(_options.Persistence ? "true" : "false")}",
            $"persistence_location {_dir.Path}/",
        };
        if (_options.AclFile is not null)
        {
            lines.Add($"acl_file {_options.AclFile}");
        }

        lines.AddRange(_options.ExtraLines);
        File.WriteAllLines(_dir.File("mosquitto.conf"), lines);
    }
}

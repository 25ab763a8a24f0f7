using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ShelfAgent.Security;

namespace ShelfAgent.Bench.Mqtt;

/// <summary>mosquitto on a free 127.0.0.1 port with mutual TLS, certificates from a dev CA made for the run.</summary>
public sealed class BenchBroker : IAsyncDisposable
{
    private readonly string _dir;
    private readonly DevCertificateAuthority _ca;
    private readonly Process _process;

    private BenchBroker(string dir, DevCertificateAuthority ca, int port, Process process)
    {
        _dir = dir;
        _ca = ca;
        Port = port;
        _process = process;
    }

    public int Port { get; }

    public string CaFile => Path.Combine(_dir, "ca.crt");

    public static async Task<BenchBroker> StartAsync(string dir)
    {
        var ca = DevCertificateAuthority.Create("Bench CA");
        ca.WritePem(Path.Combine(dir, "ca.crt"), Path.Combine(dir, "ca.key"));
        using (var server = ca.IssueServer("localhost", ["localhost"], [IPAddress.Loopback]))
        {
            server.WritePem(Path.Combine(dir, "server.crt"), Path.Combine(dir, "server.key"));
        }

        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        File.WriteAllLines(Path.Combine(dir, "mosquitto.conf"),
        [
            "user root",
            $"listener {port} 127.0.0.1",
            $"cafile {Path.Combine(dir, "ca.crt")}",
            $"certfile {Path.Combine(dir, "server.crt")}",
            $"keyfile {Path.Combine(dir, "server.key")}",
            "require_certificate true",
            "use_identity_as_username true",
            "persistence false",
            // Neither the queue nor the broker→subscriber window may be the bottleneck or drop anything.
            "max_queued_messages 0",
            "max_inflight_messages 1000",
            $"log_dest file {Path.Combine(dir, "mosquitto.log")}",
        ]);
        var process = Process.Start(new ProcessStartInfo("/usr/sbin/mosquitto", ["-c", Path.Combine(dir, "mosquitto.conf")]) { UseShellExecute = false })!;
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, port);
                return new BenchBroker(dir, ca, port, process);
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException("mosquitto did not start: " + File.ReadAllText(Path.Combine(dir, "mosquitto.log")));
    }

    /// <summary>Issues (once) a device certificate for <paramref name="name"/>.</summary>
    public (string Cert, string Key) Device(string name)
    {
        var cert = Path.Combine(_dir, name + ".crt");
        var key = Path.Combine(_dir, name + ".key");
        if (!File.Exists(cert))
        {
            using var device = _ca.IssueClient(name);
            device.WritePem(cert, key);
        }

        return (cert, key);
    }

    /// <summary>A mosquitto_pub/mosquitto_sub command with this broker's TLS arguments.</summary>
    public ProcessStartInfo Client(string tool, string device, string[] args)
    {
        var (cert, key) = Device(device);
        return new ProcessStartInfo(
            tool,
            ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "--cafile", CaFile, "--cert", cert, "--key", key, .. args])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _ca.Dispose();
    }
}

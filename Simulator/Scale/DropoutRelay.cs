using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ShelfAgent.Simulator.Scale;

/// <summary>
/// The network of the devices picked by --fault-dropout: a plain TCP relay on the loopback (TLS passes through it end to
/// end, so the devices and the broker see each other as without it) that can go down. Down, it resets every connection
/// it carries and resets each new one at once, as a store's router that lost its uplink; up again, the devices come
/// back through their own reconnect backoff and the fleet's connect rate. This machine has no netem (docs/simulator.md),
/// hence a relay in user space. Small buffers: it carries up to thousands of mostly idle connections.
/// </summary>
public sealed class DropoutRelay : IAsyncDisposable
{
    private const int BufferBytes = 16 * 1024;
    private readonly TcpListener _listener;
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly ConcurrentDictionary<long, (Socket Device, Socket Broker)> _carried = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private long _next;
    private long _cut;
    private long _refused;
    private volatile bool _down;

    private DropoutRelay(IPAddress loopback, string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener = new TcpListener(loopback, 0);
        _listener.Start(4096);
        _accepting = AcceptAsync(_stop.Token);
    }

    /// <summary>Starts a relay to <paramref name="host"/>:<paramref name="port"/> on the same loopback (IPv6 for ::1).</summary>
    public static DropoutRelay Start(string host, int port) =>
        new(host == "::1" ? IPAddress.IPv6Loopback : IPAddress.Loopback, host, port);

    /// <summary>Where the picked devices connect instead of the broker.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections carried now.</summary>
    public int Carried => _carried.Count;

    /// <summary>Connections reset when the network went down.</summary>
    public long Cut => Interlocked.Read(ref _cut);

    /// <summary>Connections reset at once while it was down (reconnect attempts that failed).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Goes down for <paramref name="outage"/>: every carried connection is reset, new ones too until it is up again.</summary>
    public async Task DropAsync(TimeSpan outage, CancellationToken cancellationToken)
    {
        _down = true;
        try
        {
            foreach (var (key, pair) in _carried)
            {
                if (_carried.TryRemove(key, out _))
                {
                    Reset(pair.Device);
                    Reset(pair.Broker);
                    Interlocked.Increment(ref _cut);
                }
            }

            await Task.Delay(outage, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _down = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var pair in _carried.Values)
        {
            pair.Device.Dispose();
            pair.Broker.Dispose();
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var device = await _listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
            if (_down)
            {
                Interlocked.Increment(ref _refused);
                Reset(device);
                continue;
            }

            _ = CarryAsync(device, cancellationToken);
        }
    }

    private async Task CarryAsync(Socket device, CancellationToken cancellationToken)
    {
        var broker = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        device.NoDelay = true;
        var key = Interlocked.Increment(ref _next);
        try
        {
            await broker.ConnectAsync(_targetHost, _targetPort, cancellationToken).ConfigureAwait(false);
            _carried[key] = (device, broker);
            if (_down)
            {
                return;
            }

            using var deviceStream = new NetworkStream(device, ownsSocket: false);
            using var brokerStream = new NetworkStream(broker, ownsSocket: false);
            var up = deviceStream.CopyToAsync(brokerStream, BufferBytes, cancellationToken);
            var down = brokerStream.CopyToAsync(deviceStream, BufferBytes, cancellationToken);
            // Whichever side ends first ends the other (closing both sockets below ends the second copy).
            await Task.WhenAny(up, down).ConfigureAwait(false);
            device.Dispose();
            broker.Dispose();
            await Task.WhenAll(up, down).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
#pragma warning disable CA1031 // A relayed connection that fails ends; the device reconnects.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        finally
        {
            _carried.TryRemove(key, out _);
            device.Dispose();
            broker.Dispose();
        }
    }

    // RST, not FIN: a network that drops leaves nothing to read; the device's next read or write fails at once.
    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}

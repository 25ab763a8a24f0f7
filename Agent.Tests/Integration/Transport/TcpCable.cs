using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ShelfAgent.Tests.Integration.Transport;

/// <summary>
/// A TCP relay on 127.0.0.1 in front of a broker, standing for the network: it can be cut (every relayed connection
/// reset at once, new ones refused until <see cref="Reconnect"/>), and it records the TLS records the client sends,
/// with when they passed, so tests see the wire as the broker's meter would.
/// </summary>
public sealed class TcpCable : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, Socket> _pairs = new();
    private readonly ConcurrentQueue<(TimeSpan At, int Bytes)> _records = new();
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly Task _loop;
    private volatile bool _severed;

    public TcpCable(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>TLS records sent by the client (application data and handshake), oldest first.</summary>
    public IReadOnlyList<(TimeSpan At, int Bytes)> ClientRecords => [.. _records];

    /// <summary>Resets every relayed connection (no FIN, no DISCONNECT: a cable pulled) and refuses new ones.</summary>
    public Task SeverAsync()
    {
        _severed = true;
        foreach (var (a, b) in _pairs)
        {
            Reset(a);
            Reset(b);
        }

        _pairs.Clear();
        return Task.CompletedTask;
    }

    public void Reconnect() => _severed = false;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await SeverAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private static void Reset(Socket s)
    {
        try
        {
            s.LingerState = new LingerOption(true, 0);
            s.Close();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(_stop.Token);
            if (_severed)
            {
                Reset(client);
                continue;
            }

            var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
            }
            catch (SocketException)
            {
                Reset(client);
                server.Dispose();
                continue;
            }

            client.NoDelay = true;
            _pairs[client] = server;
            _ = PumpAsync(client, server, record: true);
            _ = PumpAsync(server, client, record: false);
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool record)
    {
        var buffer = new byte[64 * 1024];
        var header = new byte[5];
        var headerFill = 0;
        var bodyLeft = 0;
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                if (record)
                {
                    // TLS record layer (RFC 8446 §5.1): 5-byte header, length in bytes 3–4.
                    var at = _clock.Elapsed;
                    for (var i = 0; i < read;)
                    {
                        if (bodyLeft > 0)
                        {
                            var take = Math.Min(bodyLeft, read - i);
                            bodyLeft -= take;
                            i += take;
                            continue;
                        }

                        header[headerFill++] = buffer[i++];
                        if (headerFill == 5)
                        {
                            headerFill = 0;
                            bodyLeft = (header[3] << 8) | header[4];
                            _records.Enqueue((at, 5 + bodyLeft));
                        }
                    }
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            Reset(from);
            Reset(to);
        }
    }
}

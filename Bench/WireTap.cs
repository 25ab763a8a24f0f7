using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ShelfAgent.Bench;

/// <summary>
/// A TCP relay on 127.0.0.1 between a client and the broker that records when and how many bytes the client
/// sent: the connection's ingress as a broker (or AWS IoT's meter) sees it, TLS records and MQTT framing included.
/// </summary>
internal sealed class WireTap : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(double Seconds, int Bytes)> _sent = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private Task? _accept;

    public WireTap(int upstreamPort)
    {
        _upstreamPort = upstreamPort;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>(seconds since the tap started, bytes) per read from the client, in order.</summary>
    public List<(double Seconds, int Bytes)> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        if (_accept is not null)
        {
            await _accept.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var upstream = new TcpClient();
            await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort, _stop.Token);
            _ = PumpAsync(client.GetStream(), upstream.GetStream(), record: true);
            _ = PumpAsync(upstream.GetStream(), client.GetStream(), record: false);
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool record)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int n;
            while ((n = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                if (record)
                {
                    lock (_sent)
                    {
                        _sent.Add((_clock.Elapsed.TotalSeconds, n));
                    }
                }

                await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // the connection ended
        }
    }
}

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
    private readonly Task? _accept;

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

    // Reading is never held up by the broker: chunks go through an unbounded queue to a separate writer, so the
    // timestamps are when the client's bytes arrived, not when the broker got round to reading them.
    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool record)
    {
        var queue = System.Threading.Channels.Channel.CreateUnbounded<byte[]>(new() { SingleReader = true, SingleWriter = true });
        var writer = Task.Run(async () =>
        {
            try
            {
                await foreach (var chunk in queue.Reader.ReadAllAsync(_stop.Token))
                {
                    await to.WriteAsync(chunk, _stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // the connection ended
            }
        });
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

                queue.Writer.TryWrite(buffer.AsSpan(0, n).ToArray());
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // the connection ended
        }

        queue.Writer.TryComplete();
        await writer;
    }
}

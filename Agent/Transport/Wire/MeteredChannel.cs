using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Channel;
using MQTTnet.Exceptions;

namespace ShelfAgent.Transport.Wire;

/// <summary>
/// Sits between MQTTnet's packet adapter and its TCP+TLS channel, where MQTT packets are plaintext and whole (the
/// client sends each packet in one write: <c>WithoutPacketFragmentation</c>), one connection each. It is the thin
/// part of the wire that stays ours:
/// <list type="bullet">
/// <item>every PUBLISH is charged against the rate limits at the moment it enters TLS and the socket, and held
/// there if the limits say so (the publisher paces ahead of it, so a hold is rare and short);</item>
/// <item>incoming bytes pass the <see cref="IncomingFrameGuard"/> before MQTTnet sees them;</item>
/// <item>bytes are counted both ways (MQTTnet 5.2.0.1603's adapter counters are swapped);</item>
/// <item>a write that takes longer than the write timeout closes the socket, so the connection is replaced.</item>
/// </list>
/// </summary>
internal sealed class MeteredChannel : IMqttChannel
{
    private const int PublishType = 3;
    private readonly IMqttChannel _inner;
    private readonly IncomingFrameGuard _guard;
    private readonly PublishRateLimiter _rate;
    private readonly TimeProvider _time;
    private readonly TimeSpan _writeTimeout;
    private readonly CancellationTokenSource _closed = new();
    private readonly CancellationTokenSource _noHolding = new();
    private readonly Lock _chargedSync = new();
    private TaskCompletionSource _charged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _publishesCharged;
    private long _bytesSent;
    private long _bytesReceived;
    private int _lastPacketType;

    public MeteredChannel(IMqttChannel inner, IncomingFrameGuard guard, PublishRateLimiter rate, TimeProvider time, TimeSpan writeTimeout)
    {
        _inner = inner;
        _guard = guard;
        _rate = rate;
        _time = time;
        _writeTimeout = writeTimeout;
    }

    public X509Certificate2 ClientCertificate => _inner.ClientCertificate;

    public EndPoint RemoteEndPoint => _inner.RemoteEndPoint;

    public EndPoint LocalEndPoint => _inner.LocalEndPoint;

    public bool IsSecureConnection => _inner.IsSecureConnection;

    /// <summary>PUBLISH packets charged and handed to TLS so far.</summary>
    public long PublishesCharged => Interlocked.Read(ref _publishesCharged);

    /// <summary>MQTT bytes written (below MQTTnet, above TLS).</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>MQTT bytes read.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>True once the last packet written was DISCONNECT.</summary>
    public bool DisconnectWritten => Volatile.Read(ref _lastPacketType) == 14;

    public Task ConnectAsync(CancellationToken cancellationToken) => _inner.ConnectAsync(cancellationToken);

    public Task DisconnectAsync(CancellationToken cancellationToken)
    {
        Close();
        return _inner.DisconnectAsync(cancellationToken);
    }

    /// <summary>Completes once more than <paramref name="count"/> publishes have been charged, or the channel closed.</summary>
    public Task WaitChargedBeyondAsync(long count, CancellationToken cancellationToken)
    {
        lock (_chargedSync)
        {
            return PublishesCharged > count || _closed.IsCancellationRequested
                ? Task.CompletedTask
                : _charged.Task.WaitAsync(cancellationToken);
        }
    }

    public async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        var read = await _inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
        if (read > 0)
        {
            // Throws before MQTTnet sees a declared length over the limit (it would allocate it whole).
            _guard.Observe(buffer.AsSpan(offset, read));
            Interlocked.Add(ref _bytesReceived, read);
        }

        return read;
    }

    public async Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken)
    {
        var type = buffer.Length > 0 ? buffer.FirstSpan[0] >> 4 : 0;
        if (type == PublishType)
        {
            await ChargeAsync((int)buffer.Length, cancellationToken).ConfigureAwait(false);
        }

        Volatile.Write(ref _lastPacketType, type);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
        timeout.CancelAfter(_writeTimeout);
        try
        {
            await _inner.WriteAsync(buffer, isEndOfPacket, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested && !_closed.IsCancellationRequested)
        {
            // A write stuck this long means the path is dead (a half-open connection with a full send buffer):
            // closing the socket ends MQTTnet's receive loop, and the supervisor connects again.
            Close();
            _inner.Dispose();
            throw new MqttCommunicationTimedOutException(e);
        }

        Interlocked.Add(ref _bytesSent, buffer.Length);
    }

    /// <summary>A PUBLISH held by the limits, now or later, is not written (an orderly stop is under way).</summary>
    public void StopHolding()
    {
        try
        {
            _noHolding.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }
    }

    public void Dispose()
    {
        Close();
        _inner.Dispose();
    }

    private async Task ChargeAsync(int packetBytes, CancellationToken cancellationToken)
    {
        if (!_rate.IsUnlimited)
        {
            var cost = PublishRateLimiter.WireCost(packetBytes);
            while (true)
            {
                var wait = _rate.TryTake(cost, _time.GetElapsedTime(0));
                if (wait == TimeSpan.Zero)
                {
                    break;
                }

                // Rounded up to whole milliseconds: the timer rounds down, and a wait that ends at once would spin.
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token, _noHolding.Token);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), _time, linked.Token).ConfigureAwait(false);
            }
        }

        TaskCompletionSource charged;
        lock (_chargedSync)
        {
            Interlocked.Increment(ref _publishesCharged);
            charged = _charged;
            _charged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        charged.TrySetResult();
    }

    private void Close()
    {
        TaskCompletionSource charged;
        lock (_chargedSync)
        {
            if (_closed.IsCancellationRequested)
            {
                return;
            }

            _closed.Cancel();
            charged = _charged;
        }

        charged.TrySetResult();
    }
}

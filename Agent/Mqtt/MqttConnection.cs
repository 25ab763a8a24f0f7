using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ShelfAgent.Mqtt.Channel;
using ShelfAgent.Mqtt.Formatter;
using ShelfAgent.Mqtt.Packets;

namespace ShelfAgent.Mqtt;

/// <summary>
/// One live connection: a single writer loop that coalesces queued packets into one channel write and meters
/// every PUBLISH against the client's rate limits as it enters the socket, a reader loop over a pooled buffer,
/// and the keep-alive watchdog (MQTT 3.1.1 §3.1.2.10). Any failure ends the connection (never the process);
/// <see cref="Completion"/> then reports why.
/// </summary>
internal sealed class MqttConnection : IAsyncDisposable
{
    private const int CoalesceBytes = 64 * 1024;
    private readonly IMqttChannel _channel;
    private readonly MqttClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly MqttPacketDecoder _decoder;
    private readonly PublishRateLimiter _rate;
    private readonly Channel<MqttPacket> _queue = System.Threading.Channels.Channel.CreateUnbounded<MqttPacket>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<Exception?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _disconnectWritten = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _roomSync = new();
    private TaskCompletionSource? _room;
    private int _queuedPublishes;
    private bool _disconnectSent;
    private byte[] _readBuffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private int _readStart;
    private int _readEnd;
    private long _lastRead;
    private long _lastWrite;
    private Task _loops = Task.CompletedTask;
    private bool _started;

    public MqttConnection(IMqttChannel channel, MqttClientOptions options, PublishRateLimiter rate, TimeProvider time, ILogger log)
    {
        _channel = channel;
        _rate = rate;
        _options = options;
        _time = time;
        _log = log;
        _decoder = new MqttPacketDecoder(options.MaxIncomingPacketBytes);
        _lastRead = _lastWrite = time.GetTimestamp();
    }

    /// <summary>Completes when the connection has ended: null for an orderly close, else the reason.</summary>
    public Task<Exception?> Completion => _completion.Task;

    /// <summary>Called on the reader loop for every packet after CONNACK; may throw <see cref="MqttProtocolException"/>.</summary>
    public Action<MqttPacket, MqttConnection>? OnPacket { get; set; }

    /// <summary>Sends CONNECT and waits for CONNACK (§3.1, §3.2), before the loops start.</summary>
    public async Task<ConnAckPacket> HandshakeAsync(ConnectPacket connect, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.ConnAckTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using (var writer = new PooledBufferWriter(MqttPacketEncoder.GetSize(connect)))
            {
                MqttPacketEncoder.Encode(connect, writer);
                await _channel.WriteAsync(writer.WrittenMemory, linked.Token).ConfigureAwait(false);
            }

            var packet = await ReadPacketAsync(linked.Token).ConfigureAwait(false);
            return packet as ConnAckPacket
                ?? throw new MqttProtocolException($"Expected CONNACK, got {packet.Type} (MQTT 3.1.1 §3.2).");
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new MqttTransportException(MqttTransportFailure.Timeout,
                $"No CONNACK from {_options.Host}:{_options.Port} within {_options.ConnAckTimeout.TotalSeconds:0.#} s.",
                "The broker accepted TLS but did not answer CONNECT: check it is an MQTT 3.1.1 broker and its log.", e);
        }
        catch (MqttTransportException e) when (e.Failure == MqttTransportFailure.ClosedByBroker)
        {
            // With TLS 1.3 the client finishes its handshake before the broker checks our certificate (RFC 8446 §4.4.2),
            // so a rejected certificate shows up as the connection closing before CONNACK. AWS IoT does the same
            // when the policy denies iot:Connect.
            throw new MqttTlsException(MqttTlsFailure.ClientCertificateRejected,
                $"The broker at {_options.Host}:{_options.Port} closed the connection before CONNACK: it rejected our device certificate, or its policy does not allow client id '{connect.ClientId}' to connect.",
                MqttExceptionTranslator.HintFor(MqttTlsFailure.ClientCertificateRejected) + " For AWS IoT also check the policy allows iot:Connect for this client id.", e);
        }
    }

    /// <summary>Starts the reader, writer and keep-alive loops.</summary>
    public void Start()
    {
        _started = true;
        _loops = Task.WhenAll(
            Guard(ReadLoopAsync),
            Guard(WriteLoopAsync),
            Guard(KeepAliveLoopAsync));
    }

    /// <summary>Queues a packet for the writer loop; false when the connection has ended.</summary>
    public bool Enqueue(MqttPacket packet)
    {
        if (packet is not PublishPacket)
        {
            return _queue.Writer.TryWrite(packet);
        }

        Interlocked.Increment(ref _queuedPublishes);
        if (_queue.Writer.TryWrite(packet))
        {
            return true;
        }

        Interlocked.Decrement(ref _queuedPublishes);
        return false;
    }

    /// <summary>PUBLISH packets queued and not yet written (waiting for the writer or for the rate limits).</summary>
    public int QueuedPublishes => Volatile.Read(ref _queuedPublishes);

    /// <summary>Completes once at most <paramref name="atMost"/> publishes are queued, or the connection has ended.</summary>
    public Task WaitForRoomAsync(int atMost, CancellationToken cancellationToken)
    {
        lock (_roomSync)
        {
            if (QueuedPublishes <= atMost || _completion.Task.IsCompleted)
            {
                return Task.CompletedTask;
            }

            _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _room.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Sends DISCONNECT (§3.14) after everything queued before it (but not after publishes held by the rate limits),
    /// then closes once the broker has closed its side (§3.14.4: the server closes on DISCONNECT), or after 2 s.
    /// Reading until the broker's close means nothing is left unread when the socket closes: closing with unread
    /// data (PUBACKs still arriving) makes the kernel send a reset, which can destroy the DISCONNECT still on its
    /// way, and the broker would then publish the will.
    /// </summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken)
    {
        if (Enqueue(DisconnectPacket.Instance))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                await Task.WhenAny(_disconnectWritten.Task, _completion.Task).WaitAsync(linked.Token).ConfigureAwait(false);
                timeout.CancelAfter(TimeSpan.FromSeconds(2));
                await _completion.Task.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Best effort: the broker will publish the will, which is what a lost connection means anyway.
            }
        }

        Abort(null);
    }

    /// <summary>Ends the connection; the first reason given wins.</summary>
    public void Abort(Exception? reason)
    {
        if (!_completion.TrySetResult(reason))
        {
            return;
        }

        _queue.Writer.TryComplete();
        _stop.Cancel();
        SignalRoom();
        _ = CloseChannelAsync();
    }

    // Wakes whoever waits for room; they look at the count again.
    private void SignalRoom()
    {
        // Always under the lock: a waiter checks the count and registers under it, so an unlocked "nobody waits"
        // could miss one that registered after reading a stale count, and leave it waiting for good.
        TaskCompletionSource? room;
        lock (_roomSync)
        {
            room = _room;
            _room = null;
        }

        room?.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        Abort(null);
        try
        {
            await _loops.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or MqttException)
        {
            // Already reported through Completion.
        }

        if (!_started && _readBuffer.Length > 0)
        {
            // The reader loop returns the buffer itself; a connection that failed its handshake never ran it.
            ArrayPool<byte>.Shared.Return(_readBuffer);
            _readBuffer = [];
        }

        _stop.Dispose();
    }

    private async Task CloseChannelAsync()
    {
        await _channel.DisposeAsync().ConfigureAwait(false);
    }

    private async Task Guard(Func<CancellationToken, Task> loop)
    {
        try
        {
            await loop(_stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Ended by Abort.
        }
        catch (Exception e) when (e is MqttException)
        {
            // After DISCONNECT, the broker closing the connection is the expected end, not a failure.
            Abort(Volatile.Read(ref _disconnectSent) ? null : e);
        }
#pragma warning disable CA1031 // A loop must never take the process down: report and end the connection (§4.8).
        catch (Exception e)
#pragma warning restore CA1031
        {
            MqttLog.UnexpectedLoopFailure(_log, e);
            Abort(e);
        }
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var packet = await ReadPacketAsync(cancellationToken).ConfigureAwait(false);
                OnPacket?.Invoke(packet, this);
            }
        }
        finally
        {
            var buffer = _readBuffer;
            _readBuffer = [];
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask<MqttPacket> ReadPacketAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var available = _readBuffer.AsSpan(_readStart, _readEnd - _readStart);
            if (_decoder.TryDecode(available, out var packet, out var consumed))
            {
                _readStart += consumed;
                if (_readStart == _readEnd)
                {
                    _readStart = _readEnd = 0;
                }

                return packet;
            }

            MakeRoom(available);
            var read = await _channel.ReadAsync(_readBuffer.AsMemory(_readEnd), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw MqttExceptionTranslator.Closed($"{_options.Host}:{_options.Port}");
            }

            _readEnd += read;
            Volatile.Write(ref _lastRead, _time.GetTimestamp());
        }
    }

    // Compacts, and grows the buffer (never beyond the packet-size limit the decoder enforced) for a big packet.
    private void MakeRoom(ReadOnlySpan<byte> available)
    {
        var needed = _decoder.TryGetPacketLength(available, out var length) ? length : available.Length + 1;
        if (needed > _readBuffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(needed);
            available.CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_readBuffer);
            _readBuffer = bigger;
        }
        else if (_readStart > 0 && _readBuffer.Length - _readEnd < Math.Max(needed - available.Length, 1024))
        {
            available.CopyTo(_readBuffer);
        }
        else
        {
            return;
        }

        _readStart = 0;
        _readEnd = available.Length;
    }

    /// <summary>
    /// Writes queued packets, coalesced up to 64 KB per channel write. A PUBLISH goes out only when the rate limits
    /// allow it (charged at this moment, just before the bytes enter the socket); while one is held, later publishes
    /// wait behind it in order (§4.6), and every other packet (acknowledgments, PINGREQ, SUBSCRIBE) is written at
    /// once, so a paced backlog never delays a PUBACK or the keep-alive. DISCONNECT does not wait for held publishes
    /// either: a stop must not take as long as the backlog queued behind the limits, and the QoS 1 ones among them
    /// stay unacknowledged in the client's session and are sent on the next connection.
    /// </summary>
    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        using var writer = new PooledBufferWriter(CoalesceBytes);
        using var writeTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = _queue.Reader;
        var held = new Queue<MqttPacket>();
        Task? holdUntil = null;
        Task<bool>? more = null;
        while (true)
        {
            if (held.Count == 0)
            {
                var open = more is null
                    ? await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false)
                    : await more.ConfigureAwait(false);
                more = null;
                if (!open)
                {
                    return;
                }
            }

            var wait = TimeSpan.Zero;
            var disconnect = false;
            var published = 0;
            while (writer.WrittenCount < CoalesceBytes && held.TryPeek(out var first))
            {
                if (!MayGo(first, out wait))
                {
                    break;
                }

                held.Dequeue();
                disconnect = Encode(first, writer, ref published);
                if (disconnect)
                {
                    break;
                }
            }

            while (!disconnect && writer.WrittenCount < CoalesceBytes && reader.TryRead(out var packet))
            {
                if (packet is PublishPacket && (held.Count > 0 || !MayGo(packet, out wait)))
                {
                    held.Enqueue(packet);
                    continue;
                }

                disconnect = Encode(packet, writer, ref published);
            }

            if (disconnect)
            {
                // Before the write: the broker may close the socket as soon as it has read DISCONNECT.
                Volatile.Write(ref _disconnectSent, true);
            }

            if (writer.WrittenCount > 0)
            {
                await WriteAsync(writer, writeTimeout, cancellationToken).ConfigureAwait(false);
            }

            if (published > 0)
            {
                Interlocked.Add(ref _queuedPublishes, -published);
                SignalRoom();
            }

            if (disconnect)
            {
                _disconnectWritten.TrySetResult();
                return;
            }

            if (held.Count > 0 && wait > TimeSpan.Zero)
            {
                // Wake when the head may go, or earlier for a packet that need not wait (a PUBACK, a PINGREQ).
                if (holdUntil is null || holdUntil.IsCompleted)
                {
                    // Rounded up to whole milliseconds: the timer would round down, and a delay that ends at once
                    // would have this loop spin through the last fraction of the wait.
                    holdUntil = Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), _time, cancellationToken);
                }

                more ??= reader.WaitToReadAsync(cancellationToken).AsTask();
                await Task.WhenAny(holdUntil, more).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (more.IsCompleted)
                {
                    if (!await more.ConfigureAwait(false))
                    {
                        return;
                    }

                    more = null;
                }
            }
        }
    }

    private bool MayGo(MqttPacket packet, out TimeSpan wait)
    {
        wait = packet is PublishPacket publish && !_rate.IsUnlimited
            ? _rate.TryTake(PublishRateLimiter.WireCost(MqttPacketEncoder.GetSize(publish)), _time.GetElapsedTime(0))
            : TimeSpan.Zero;
        return wait == TimeSpan.Zero;
    }

    // Returns true for DISCONNECT: nothing may follow it (§3.14.4).
    private static bool Encode(MqttPacket packet, PooledBufferWriter writer, ref int published)
    {
        MqttPacketEncoder.Encode(packet, writer);
        if (packet is PublishPacket)
        {
            published++;
        }

        return packet is DisconnectPacket;
    }

    private async Task WriteAsync(PooledBufferWriter writer, CancellationTokenSource writeTimeout, CancellationToken cancellationToken)
    {
        writeTimeout.CancelAfter(_options.WriteTimeout);
        try
        {
            await _channel.WriteAsync(writer.WrittenMemory, writeTimeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MqttTransportException(MqttTransportFailure.Timeout,
                $"Writing {writer.WrittenCount} bytes to {_options.Host}:{_options.Port} took longer than {_options.WriteTimeout.TotalSeconds:0.#} s.",
                "The network or the broker stalled; the client reconnects.", e);
        }

        writeTimeout.CancelAfter(Timeout.InfiniteTimeSpan);
        Volatile.Write(ref _lastWrite, _time.GetTimestamp());
        writer.Clear();
    }

    /// <summary>
    /// §3.1.2.10: the client must send something within each keep-alive period, so it sends PINGREQ when it has
    /// written nothing for one period; if nothing at all has arrived for 1.5 periods the connection is dead.
    /// </summary>
    private async Task KeepAliveLoopAsync(CancellationToken cancellationToken)
    {
        if (_options.KeepAliveSeconds == 0)
        {
            return;
        }

        var period = TimeSpan.FromSeconds(_options.KeepAliveSeconds);
        var tick = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond * 100, period.Ticks / 10));
        while (true)
        {
            await Task.Delay(tick, _time, cancellationToken).ConfigureAwait(false);
            var silent = _time.GetElapsedTime(Volatile.Read(ref _lastRead));
            if (silent > period * 1.5)
            {
                throw new MqttTransportException(MqttTransportFailure.KeepAliveTimeout,
                    $"Nothing received from {_options.Host}:{_options.Port} for {silent.TotalSeconds:0.#} s (1.5 × keep-alive of {_options.KeepAliveSeconds} s).",
                    "The connection is half-open (network dropped silently); the client reconnects.");
            }

            if (_time.GetElapsedTime(Volatile.Read(ref _lastWrite)) >= period - tick)
            {
                // Counted as a write once queued, so a slow PINGRESP does not queue a second PINGREQ.
                Volatile.Write(ref _lastWrite, _time.GetTimestamp());
                Enqueue(PingReqPacket.Instance);
            }
        }
    }
}

using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ShelfAgent.Mqtt.Channel;
using ShelfAgent.Mqtt.Packets;

namespace ShelfAgent.Mqtt;

/// <summary>
/// ShelfAgent's MQTT 3.1.1 client for AWS IoT Core (and any 3.1.1 broker): mutual TLS, QoS 0/1 publish with an
/// in-flight window, subscriptions with wildcards, keep-alive, reconnect with backoff, session resume.
/// Guarantees are described in docs/mqtt.md. Thread-safe.
/// </summary>
public sealed partial class MqttClient : IAsyncDisposable
{
    private readonly MqttClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<MqttClient> _log;
    private readonly IMqttChannelFactory _channelFactory;
    private readonly Backoff _backoff;
    private readonly PublishRateLimiter _rate;
    private readonly bool _awsRules;
    private readonly Lock _sync = new();
    private readonly PacketIdAllocator _ids = new();
    private readonly LinkedList<OutgoingPublish> _inflight = new();
    private readonly Dictionary<ushort, OutgoingPublish> _inflightById = [];
    private readonly List<PendingRequest> _requests = [];
    private readonly Dictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _window;
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private readonly Channel<(PublishPacket Packet, MqttConnection Connection)> _incoming =
        System.Threading.Channels.Channel.CreateUnbounded<(PublishPacket, MqttConnection)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Task _dispatcher;
    private TaskCompletionSource _connectedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private MqttConnection? _connection;
    private Task _supervisor = Task.CompletedTask;
    private bool _stopped;

    /// <summary>Creates a client; nothing happens on the network until <see cref="ConnectOnceAsync"/> or <see cref="StartAsync"/>.</summary>
    /// <param name="options">Validated options (throws <see cref="ArgumentException"/> listing every problem).</param>
    /// <param name="time">Clock for timeouts, keep-alive, backoff and rate limits.</param>
    /// <param name="log">Logger.</param>
    /// <param name="channelFactory">Transport; default TCP + TLS (<see cref="TlsChannelFactory"/>).</param>
    public MqttClient(MqttClientOptions options, TimeProvider time, ILogger<MqttClient> log, IMqttChannelFactory? channelFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(log);
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid MQTT options: " + string.Join("; ", problems), nameof(options));
        }

        _options = options;
        _time = time;
        _log = log;
        _channelFactory = channelFactory ?? new TlsChannelFactory(time);
        _backoff = new Backoff(options.ReconnectMinDelay, options.ReconnectMaxDelay);
        // One meter for the client, shared by its successive connections: a reconnect does not reset the budget.
        _rate = new PublishRateLimiter(options.MaxPublishesPerSecond, options.MaxBytesPerSecond, options.RateLimitGuard);
        _awsRules = options.EnforceAwsRules;
        _window = new SemaphoreSlim(options.MaxInFlight, options.MaxInFlight);
        _dispatcher = DispatchLoopAsync(_lifetime.Token);
    }

    /// <summary>Raised after each successful connect (handlers run in order; exceptions are logged).</summary>
#pragma warning disable CA1003 // The contract asks for async handlers: Func<TArgs, Task>.
    public event Func<MqttConnectedEventArgs, Task>? Connected;

    /// <summary>Raised after each connection ends.</summary>
    public event Func<MqttDisconnectedEventArgs, Task>? Disconnected;
#pragma warning restore CA1003

    /// <summary>True while a connection is established.</summary>
    public bool IsConnected => Volatile.Read(ref _connection) is not null;

    /// <summary>Number of QoS 1 publishes awaiting PUBACK.</summary>
    public int InFlightCount
    {
        get
        {
            lock (_sync)
            {
                return _inflight.Count;
            }
        }
    }

    /// <summary>One connection attempt (TCP, TLS, CONNECT/CONNACK). Throws our typed exceptions; no retry.</summary>
    public async Task ConnectOnceAsync(CancellationToken cancellationToken)
    {
        await ConnectCoreAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts the background loop that connects and reconnects with backoff and full jitter; returns at once.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            if (_supervisor.IsCompleted)
            {
                _supervisor = Task.Run(() => SuperviseAsync(_lifetime.Token), CancellationToken.None);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops reconnecting, sends DISCONNECT (§3.14) and closes. Publishes still unacknowledged fail with <see cref="OperationCanceledException"/>.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        MqttConnection? connection;
        lock (_sync)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            connection = _connection;
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _supervisor.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (connection is not null)
        {
            await connection.DisconnectAsync(cancellationToken).ConfigureAwait(false);
            await connection.Completion.ConfigureAwait(false);
        }

        FailAllPending();
        lock (_sync)
        {
            // Anyone still waiting for a connection (QoS 0 publishers, WaitConnectedAsync) is told it will not come.
            _connectedSignal.TrySetException(new OperationCanceledException("The MQTT client stopped."));
        }

        _incoming.Writer.TryComplete();
        await _dispatcher.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        MqttLog.Stopped(_log);
    }

    /// <summary>Completes when connected (at once if already).</summary>
    public Task WaitConnectedAsync(CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            return _connectedSignal.Task.WaitAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _lifetime.Dispose();
        _window.Dispose();
        _connectGate.Dispose();
    }

    private async Task<MqttConnection> ConnectCoreAsync(CancellationToken cancellationToken)
    {
        await _connectGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_sync)
            {
                ObjectDisposedException.ThrowIf(_stopped, this);
                if (_connection is { Completion.IsCompleted: false } existing)
                {
                    return existing;
                }
            }

            var channel = await _channelFactory.ConnectAsync(_options, cancellationToken).ConfigureAwait(false);
            var connection = new MqttConnection(channel, _options, _rate, _time, _log);
            bool sessionPresent;
            int resent;
            try
            {
                var ack = await connection.HandshakeAsync(BuildConnect(), cancellationToken).ConfigureAwait(false);
                if (ack.ReturnCode != ConnectReturnCode.Accepted)
                {
                    throw new MqttConnectionRefusedException(ack.ReturnCode);
                }

                sessionPresent = ack.SessionPresent;
                connection.OnPacket = OnPacket;
                lock (_sync)
                {
                    ObjectDisposedException.ThrowIf(_stopped, this);
                    resent = RestoreSession(connection, sessionPresent);
                    Volatile.Write(ref _connection, connection);
                    _connectedSignal.TrySetResult();
                }
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            connection.Start();
            _ = WatchAsync(connection);
            MqttLog.Connected(_log, _options.Host, _options.Port, _options.ClientId, sessionPresent, resent);
            await RaiseAsync(Connected, new MqttConnectedEventArgs(sessionPresent), nameof(Connected)).ConfigureAwait(false);
            return connection;
        }
        finally
        {
            _connectGate.Release();
        }
    }

    private ConnectPacket BuildConnect() => new(
        _options.ClientId,
        _options.CleanSession,
        (ushort)_options.KeepAliveSeconds,
        _options.Will,
        _options.Username,
        // Explicit: a null byte[] would convert to an empty, non-null ReadOnlyMemory and set the password flag.
        _options.Password is null ? (ReadOnlyMemory<byte>?)null : Encoding.UTF8.GetBytes(_options.Password));

    private async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        var attempt = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var connection = await ConnectCoreAsync(cancellationToken).ConfigureAwait(false);
                attempt = 0;
                await connection.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
                // Even after a drop, wait a jittered moment: a fleet that lost its broker together must not return together.
                await Task.Delay(_backoff.Delay(0, Random.Shared.NextDouble()), _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
#pragma warning disable CA1031 // Any failure of one attempt is logged and retried; stopping is the host's decision.
            catch (Exception e)
#pragma warning restore CA1031
            {
                var delay = _backoff.Delay(attempt, Random.Shared.NextDouble());
                attempt++;
                MqttLog.ConnectFailed(_log, attempt, _options.Host, _options.Port, (long)delay.TotalMilliseconds, e.Message);
                try
                {
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task WatchAsync(MqttConnection connection)
    {
        var reason = await connection.Completion.ConfigureAwait(false);
        lock (_sync)
        {
            if (_connection == connection)
            {
                Volatile.Write(ref _connection, null);
                _connectedSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        if (reason is MqttProtocolException)
        {
            MqttLog.ProtocolViolation(_log, _options.Host, _options.Port, reason.Message);
        }
        else if (reason is not null)
        {
            MqttLog.ConnectionLost(_log, _options.Host, _options.Port, reason.Message);
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        await RaiseAsync(Disconnected, new MqttDisconnectedEventArgs(reason), nameof(Disconnected)).ConfigureAwait(false);
    }

    private async Task RaiseAsync<T>(Func<T, Task>? handlers, T args, string name)
    {
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Func<T, Task>>())
        {
            try
            {
                await handler(args).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A subscriber's bug must not break the connection.
            catch (Exception e)
#pragma warning restore CA1031
            {
                MqttLog.EventHandlerFailed(_log, e, name);
            }
        }
    }
}

using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Diagnostics.Logger;
using ShelfAgent.Transport.Tls;
using ShelfAgent.Transport.Wire;

namespace ShelfAgent.Transport;

/// <summary>
/// The agent's MQTT connection, on MQTTnet 5 (MQTT 5 or 3.1.1, mutual TLS). MQTTnet encodes, decodes and runs one
/// connection; this layer adds what it does not: a supervisor that keeps connecting with full-jitter backoff, an
/// in-flight window the broker's Receive Maximum also bounds (the only one: publishers wait for its room), packet ids
/// that are never reused while in flight, the AWS IoT Core limits metered where bytes enter the socket, topic aliases,
/// subscriptions restored after a lost session (with a signal that requests wait for), reason codes and errors turned
/// into hints in one place (<see cref="MqttExceptionTranslator"/>), and an orderly stop. Guarantees are described in
/// docs/mqtt.md. Thread-safe.
/// </summary>
public sealed partial class MqttTransport : IMessagePublisher, IAsyncDisposable
{
    private readonly MqttTransportOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<MqttTransport> _log;
    private readonly Backoff _backoff;
    private readonly TakeoverSuspicion _takeover;
    private readonly PublishRateLimiter _rate;
    private readonly bool _awsRules;
    private readonly MeteredAdapterFactory _adapters;
    private readonly IMqttClient _client;
    private readonly Lock _sync = new();
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private TaskCompletionSource<ConnectionState> _connectedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ConnectionState? _connection;
    private Task _supervisor = Task.CompletedTask;
    private bool _stopped;

    /// <summary>Creates the transport; nothing happens on the network until <see cref="ConnectOnceAsync"/> or <see cref="StartAsync"/>.</summary>
    /// <param name="options">Validated options (throws <see cref="ArgumentException"/> listing every problem).</param>
    /// <param name="time">Clock for timeouts, backoff and rate limits.</param>
    /// <param name="log">Logger.</param>
    public MqttTransport(MqttTransportOptions options, TimeProvider time, ILogger<MqttTransport> log)
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
        _backoff = new Backoff(options.ReconnectMinDelay, options.ReconnectMaxDelay);
        _takeover = new TakeoverSuspicion(options.StableAfter);
        // One meter for the transport, shared by its successive connections: a reconnect does not reset the budget.
        _rate = new PublishRateLimiter(options.MaxPublishesPerSecond, options.MaxBytesPerSecond, options.RateLimitGuard);
        _awsRules = options.EnforceAwsRules;
        _adapters = new MeteredAdapterFactory(options, _rate, time);
        _client = new MqttClientFactory(new MqttNetNullLogger(), _adapters).CreateMqttClient();
        _client.DisconnectedAsync += OnDisconnectedAsync;
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    /// <summary>Raised after each successful connect (handlers run in order; exceptions are logged).</summary>
#pragma warning disable CA1003 // The contract asks for async handlers: Func<TArgs, Task>.
    public event Func<MqttConnectedEventArgs, Task>? Connected;

    /// <summary>Raised after each connection ends.</summary>
    public event Func<MqttDisconnectedEventArgs, Task>? Disconnected;
#pragma warning restore CA1003

    /// <summary>True while a connection is established.</summary>
    public bool IsConnected => Volatile.Read(ref _connection) is not null;

    /// <summary>QoS 1 publishes handed to MQTTnet and awaiting PUBACK on the live connection.</summary>
    public int InFlightCount => Volatile.Read(ref _connection) is { } c ? c.WindowSize - c.Window.CurrentCount : 0;

    /// <summary>The live connection's in-flight window: min(Mqtt:MaxInFlight, the broker's Receive Maximum), or 0 offline.</summary>
    public int WindowSize => Volatile.Read(ref _connection)?.WindowSize ?? 0;

    /// <summary>Topic aliases in use on the live connection (MQTT 5), 0 when none.</summary>
    public int TopicAliases => Volatile.Read(ref _connection)?.TopicAliases ?? 0;

    /// <summary>MQTT bytes written on the live connection (below MQTTnet, above TLS).</summary>
    public long BytesSent => _adapters.Current?.BytesSent ?? 0;

    /// <summary>MQTT bytes read on the live connection.</summary>
    public long BytesReceived => _adapters.Current?.BytesReceived ?? 0;

    /// <summary>One connection attempt (TCP, TLS, CONNECT/CONNACK). Throws our typed exceptions; no retry.</summary>
    public async Task ConnectOnceAsync(CancellationToken cancellationToken)
    {
        await ConnectCoreAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts the background loop that connects and reconnects with backoff and full jitter; returns at once.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
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

    /// <summary>
    /// Stops reconnecting and closes in order: publishes still waiting for the window or the limits are failed (their
    /// callers keep the messages), those already sent get up to 2 s for their PUBACK — so nothing is left unread when
    /// the socket closes, which would turn the close into a reset and lose the DISCONNECT — then DISCONNECT with reason
    /// 0x00, which tells the broker to discard the will. Publishes still unacknowledged fail with <see cref="MqttNotConnectedException"/>.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _supervisor.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _connectGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Nothing new goes out: publishes waiting for the window, their turn or the limits give up (their callers
            // keep the messages), and one held by the metered channel is not written.
            await _stopSending.CancelAsync().ConfigureAwait(false);
            _adapters.Current?.StopHolding();
            if (Volatile.Read(ref _connection) is { } connection && _client.IsConnected)
            {
                await DrainInFlightAsync(connection, TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(TimeSpan.FromSeconds(5));
                    await _client.DisconnectAsync(
                        new MqttClientDisconnectOptions { Reason = MqttClientDisconnectOptionsReason.NormalDisconnection },
                        timeout.Token).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // Best effort: a connection that cannot say goodbye is simply closed (the broker publishes the will).
                catch (Exception e)
#pragma warning restore CA1031
                {
                    TransportLog.DisconnectFailed(_log, e.Message);
                }

                await connection.EndedTask.WaitAsync(TimeSpan.FromSeconds(5), _time, CancellationToken.None)
                    .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        finally
        {
            _connectGate.Release();
        }

        lock (_sync)
        {
            // Anyone still waiting for a connection (QoS 0 publishers, WaitConnectedAsync) is told it will not come.
            _connectedSignal.TrySetException(new OperationCanceledException("The MQTT transport stopped."));
        }

        Volatile.Read(ref _connection)?.End();
        TransportLog.Stopped(_log);
    }

    /// <summary>Completes when connected (at once if already).</summary>
    public Task WaitConnectedAsync(CancellationToken cancellationToken) => CurrentAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _client.Dispose();
        _lifetime.Dispose();
        _connectGate.Dispose();
        _sendTurn.Dispose();
        _stopSending.Dispose();
    }

    private Task<ConnectionState> CurrentAsync(CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            return _connectedSignal.Task.WaitAsync(cancellationToken);
        }
    }

    private async Task<ConnectionState> ConnectCoreAsync(CancellationToken cancellationToken)
    {
        await _connectGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_sync)
            {
                ObjectDisposedException.ThrowIf(_stopped, this);
                if (_connection is { } existing)
                {
                    return existing;
                }
            }

            if (_options.BeforeConnect is { } admission)
            {
                // A fleet-wide admission (the simulator's connect rate), taken before the TCP connect.
                await admission(cancellationToken).ConfigureAwait(false);
            }

            var outcome = new TlsValidationOutcome();
            var options = MqttNetOptions.Build(_options, outcome, _time);
            using var timeout = new CancellationTokenSource(_options.ConnectTimeout + _options.ConnAckTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            MqttClientConnectResult result;
            try
            {
                result = await _client.ConnectAsync(options, linked.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                throw MqttExceptionTranslator.ConnectFailed(e, _options, outcome, timeout.IsCancellationRequested);
            }

            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new MqttConnectionRefusedException((int)result.ResultCode, result.ReasonString);
            }

            // MQTT 5 §3.2.2.3.3: absent means 65,535. MQTTnet would reuse packet ids beyond that.
            var receiveMaximum = result.ReceiveMaximum is { } r and > 0 ? r : ushort.MaxValue;
            var window = Math.Min(_options.MaxInFlight, receiveMaximum);
            var aliases = Math.Min(result.TopicAliasMaximum, _options.AliasedTopics.Count);
            var identifiers = _options.ProtocolVersion == MQTTnet.Formatter.MqttProtocolVersion.V500 && result.SubscriptionIdentifiersAvailable;
            var connection = new ConnectionState(window, result.IsSessionPresent, aliases, _adapters.Current, _time.GetUtcNow(), identifiers);
            lock (_sync)
            {
                Volatile.Write(ref _connection, connection);
                _connectedSignal.TrySetResult(connection);
            }

            // The window is the new connection's now.
            SignalRoom();

            if (!_client.IsConnected)
            {
                // Dropped between CONNACK and here: the Disconnected event may have looked before we published the state.
                EndConnection(connection, null);
            }

            TransportLog.Connected(_log, _options.Host, _options.Port, _options.ClientId, ProtocolName, result.IsSessionPresent, window, aliases);
            RestoreSubscriptions(connection);
            await RaiseAsync(Connected, new MqttConnectedEventArgs(result.IsSessionPresent), nameof(Connected)).ConfigureAwait(false);
            return connection;
        }
        finally
        {
            _connectGate.Release();
        }
    }

    private string ProtocolName => _options.ProtocolVersion == MQTTnet.Formatter.MqttProtocolVersion.V500 ? "MQTT 5" : "MQTT 3.1.1";

    /// <summary>
    /// Connects, waits for the connection to end, and connects again, with full-jitter backoff. The backoff goes back
    /// to its first step only after a connection has stayed up for <see cref="MqttTransportOptions.StableAfter"/>: a
    /// broker that accepts and drops at once (a policy that denies a topic does that on AWS IoT) must not turn the
    /// reconnects into a storm. Never reconnects from inside MQTTnet's Disconnected handler (its samples warn of deadlocks).
    /// </summary>
    private async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        var attempt = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan delay;
            try
            {
                var connection = await ConnectCoreAsync(cancellationToken).ConfigureAwait(false);
                await connection.EndedTask.WaitAsync(cancellationToken).ConfigureAwait(false);
                var stayedUp = _time.GetUtcNow() - connection.Since;
                attempt = Backoff.AfterConnection(attempt, stayedUp, _options.StableAfter);
                // Even after a drop, wait a jittered moment: a fleet that lost its broker together must not return together.
                delay = _backoff.Delay(attempt, Random.Shared.NextDouble());
                TransportLog.Reconnecting(_log, (long)stayedUp.TotalMilliseconds, (long)delay.TotalMilliseconds);
                if (_takeover.Record(connection.EndedBy, stayedUp) is > 0 and var inARow)
                {
                    TransportLog.SessionTakenOverLikely(_log, _options.Host, _options.Port, inARow, (int)_options.StableAfter.TotalSeconds, _options.ClientId);
                }
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
                delay = _backoff.Delay(attempt, Random.Shared.NextDouble());
                attempt++;
                TransportLog.ConnectFailed(_log, attempt, _options.Host, _options.Port, (long)delay.TotalMilliseconds, e.Message);
            }

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

    private async Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs args)
    {
        // A failed connect attempt also raises this (ClientWasConnected false), possibly after the next attempt
        // succeeded: only the end of an established connection ends our state.
        if (!args.ClientWasConnected)
        {
            return;
        }

        var connection = Volatile.Read(ref _connection);
        if (connection is null)
        {
            return;
        }

        var end = MqttExceptionTranslator.ConnectionEnded(
            args.Reason,
            args.ReasonString,
            args.Exception,
            Volatile.Read(ref _stopped),
            _options,
            connection.PubAcks.RefusalAtClose(),
            connection.PubAcks.Awaiting);
        LogEnd(end);
        connection.EndedBy = end;
        EndConnection(connection, end.Reason);
        await RaiseAsync(Disconnected, new MqttDisconnectedEventArgs(end.Reason), nameof(Disconnected)).ConfigureAwait(false);
    }

    private void LogEnd(ConnectionEnd end)
    {
        switch (end.Kind)
        {
            case ConnectionEndKind.ProtocolViolation:
                TransportLog.ProtocolViolation(_log, _options.Host, _options.Port, end.Reason!.Message);
                break;
            case ConnectionEndKind.DisconnectedByBroker:
                TransportLog.DisconnectedByBroker(_log, _options.Host, _options.Port, end.Reason!.Message);
                break;
            case ConnectionEndKind.Lost or ConnectionEndKind.ClosedByBroker:
                TransportLog.ConnectionLost(_log, _options.Host, _options.Port, end.Reason!.Message);
                break;
        }
    }

    private void EndConnection(ConnectionState connection, Exception? reason)
    {
        lock (_sync)
        {
            if (_connection == connection)
            {
                Volatile.Write(ref _connection, null);
                _connectedSignal = new TaskCompletionSource<ConnectionState>(TaskCreationOptions.RunContinuationsAsynchronously);
                if (_stopped)
                {
                    _connectedSignal.TrySetException(new OperationCanceledException("The MQTT transport stopped."));
                }
            }
        }

        lock (_idSync)
        {
            connection.Ids.ReleaseAll();
        }

        _ = reason;
        connection.End();
        SignalRoom();
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
                TransportLog.EventHandlerFailed(_log, e, name);
            }
        }
    }
}

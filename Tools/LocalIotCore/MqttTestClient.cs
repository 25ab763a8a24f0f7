using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace ShelfAgent.LocalIot;

/// <summary>
/// A raw MQTTnet 5 client over mutual TLS, used both as the core's service identity and as a test device that
/// makes the documented AWS IoT calls by hand. Received messages go into a channel, so a handler never publishes
/// from inside MQTTnet's receive callback (that would wait for its own PUBACK on the loop that delivers it).
/// </summary>
public sealed class MqttTestClient : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly Channel<MqttApplicationMessage> _received = Channel.CreateUnbounded<MqttApplicationMessage>();
    private readonly List<MqttApplicationMessage> _seen = [];
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private readonly Lock _gate = new();

    private MqttTestClient(IMqttClient client)
    {
        _client = client;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            lock (_gate)
            {
                _seen.Add(e.ApplicationMessage);
                foreach (var waiter in _waiters.Where(w => w.Count <= _seen.Count).ToList())
                {
                    _waiters.Remove(waiter);
                    waiter.Reached.TrySetResult();
                }
            }

            _received.Writer.TryWrite(e.ApplicationMessage);
            return Task.CompletedTask;
        };
    }

    /// <summary>Every message received so far, in order.</summary>
    public ChannelReader<MqttApplicationMessage> Received => _received.Reader;

    public bool IsConnected => _client.IsConnected;

    /// <summary>Whether the broker had a session for this client id when it connected (CONNACK's Session Present, MQTT 5 §3.2.2.1.1).</summary>
    public bool SessionPresent { get; private set; }

    /// <summary>
    /// Connects with the given identity; throws MQTTnet's exception when the broker refuses. With
    /// <paramref name="persistentSession"/> the session is kept (MQTT 5 Clean Start 0 and that Session Expiry Interval,
    /// §3.1.2.4 and §3.1.2.11.2): the broker keeps the subscriptions and queues QoS 1 messages while the client is away.
    /// Without it (the default), the session is clean and ends with the connection.
    /// </summary>
    public static async Task<MqttTestClient> ConnectAsync(string host, int port, string caFile, string certFile, string keyFile, string clientId,
        CancellationToken cancellationToken, MqttApplicationMessage? will = null, TimeSpan? persistentSession = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var wrapper = new MqttTestClient(client);
        var trust = new X509Certificate2Collection();
        trust.ImportFromPemFile(caFile);
        using var pemCertificate = X509Certificate2.CreateFromPemFile(certFile, keyFile);
        // Re-imported so SslStream on Linux can use the key (an ephemeral PEM key cannot be sent by some stacks).
        var certificate = X509CertificateLoader.LoadPkcs12(pemCertificate.Export(X509ContentType.Pkcs12), null);
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithTlsOptions(o => o.UseTls().WithTargetHost("localhost").WithTrustChain(trust)
                .WithRevocationMode(X509RevocationMode.NoCheck)
                .WithClientCertificates([certificate]));
        if (will is not null)
        {
            builder.WithWillTopic(will.Topic).WithWillPayload(will.Payload.ToArray()).WithWillRetain(will.Retain)
                .WithWillQualityOfServiceLevel(will.QualityOfServiceLevel);
        }

        if (persistentSession is { } expiry)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(expiry, TimeSpan.Zero, nameof(persistentSession));
            builder.WithCleanStart(false).WithSessionExpiryInterval((uint)Math.Min(expiry.TotalSeconds, uint.MaxValue - 1));
        }

        try
        {
            var result = await client.ConnectAsync(builder.Build(), cancellationToken);
            wrapper.SessionPresent = result.IsSessionPresent;
        }
        catch
        {
            client.Dispose();
            throw;
        }

        return wrapper;
    }

    /// <summary>Subscribes and returns the granted reason code (0/1 granted, 0x87 not authorized, …).</summary>
    public async Task<MqttClientSubscribeResultCode> SubscribeAsync(string filter, CancellationToken cancellationToken)
    {
        var result = await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(filter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
            .Build(), cancellationToken);
        return result.Items.Single().ResultCode;
    }

    /// <summary>Publishes QoS 1 and returns the PUBACK reason code.</summary>
    public async Task<MqttClientPublishReasonCode> PublishAsync(string topic, string payload, CancellationToken cancellationToken, bool retain = false)
    {
        var result = await _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithRetainFlag(retain)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), cancellationToken);
        return result.ReasonCode;
    }

    /// <summary>Publishes bytes at QoS 1, not retained, and returns the PUBACK reason code.</summary>
    public async Task<MqttClientPublishReasonCode> PublishAsync(string topic, byte[] payload, CancellationToken cancellationToken)
    {
        var result = await _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), cancellationToken);
        return result.ReasonCode;
    }

    /// <summary>Waits for the next message on <paramref name="topic"/> (skipping others) within <paramref name="timeout"/>.</summary>
    public async Task<MqttApplicationMessage> NextAsync(string topic, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var message = await _received.Reader.ReadAsync(cts.Token);
                if (message.Topic == topic)
                {
                    return message;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"nothing on {topic} within {timeout}; seen: {string.Join(", ", Seen().Select(m => m.Topic))}");
        }
    }

    /// <summary>All messages received so far (whether or not read from <see cref="Received"/>).</summary>
    public IReadOnlyList<MqttApplicationMessage> Seen()
    {
        lock (_gate)
        {
            return [.. _seen];
        }
    }

    /// <summary>
    /// Completes once <paramref name="count"/> messages have been received in all (whether or not read from
    /// <see cref="Received"/>): a signal from the receive callback, not a poll. The caller bounds it with the token.
    /// </summary>
    public Task UntilSeenAsync(int count, CancellationToken cancellationToken)
    {
        TaskCompletionSource reached;
        lock (_gate)
        {
            if (_seen.Count >= count)
            {
                return Task.CompletedTask;
            }

            reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
        }

        return reached.Task.WaitAsync(cancellationToken);
    }

    /// <summary>A clean DISCONNECT (no will).</summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken = default)
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptions(), cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await DisconnectAsync();
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            // already gone
        }

        _client.Dispose();
    }
}

using Microsoft.Extensions.Logging;
using ShelfAgent.Composition;
using ShelfAgent.Config;
using ShelfAgent.Contract;
using ShelfAgent.Transport;

namespace ShelfAgent.Diagnostics;

/// <summary>
/// doctor's network findings with the device's own identity: "broker" (a real MQTT connection; when the configured
/// port is blocked — refused, unreachable or silent, as store firewalls do to 8883 — it tries port 443 with ALPN
/// <c>x-amzn-mqtt-ca</c>, AWS IoT Core's other door, and says to set <c>Mqtt:Port</c> to 443 when that works), then
/// "round trip" on that connection (<see cref="TopicRoundTrip"/>).
/// </summary>
public static class BrokerChecks
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan RoundTripTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The findings, in order.</summary>
    /// <param name="options">The agent's options.</param>
    /// <param name="fallbackPort">Where the ALPN fallback knocks: 443 (a test gives the port of its stand-in).</param>
    /// <param name="time">Clock.</param>
    /// <param name="loggers">Logs of the transport.</param>
    /// <param name="cancellationToken">Cancels.</param>
    public static async IAsyncEnumerable<CheckResult> RunAsync(
        AgentOptions options,
        int fallbackPort,
        TimeProvider time,
        ILoggerFactory loggers,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var topics = new Topics(options.Device.StoreId, options.Device.ThingName);
        var configured = AgentComposition.TransportOptionsFrom(options, topics);
        var where = $"{configured.Host}:{configured.Port}";
        var (client, failure) = await ConnectAsync(configured, time, loggers, cancellationToken).ConfigureAwait(false);
        if (client is null && IsBlocked(failure) && configured.Port != fallbackPort)
        {
            var alternative = AgentComposition.TransportOptionsFrom(options, topics);
            alternative.Port = fallbackPort;
            alternative.Alpn = MqttTransportOptions.AwsAlpn;
            var (viaAlpn, alpnFailure) = await ConnectAsync(alternative, time, loggers, cancellationToken).ConfigureAwait(false);
            if (viaAlpn is not null)
            {
                client = viaAlpn;
                yield return new(
                    "broker",
                    CheckStatus.Fail,
                    $"port {configured.Port} is blocked ({Describe(failure)}), but port {fallbackPort} with ALPN {MqttTransportOptions.AwsAlpn} connects: " +
                    $"set \"Mqtt\": {{ \"Port\": 443 }} in {options.SourceFile} (store firewalls often open only HTTPS)");
            }
            else
            {
                yield return new(
                    "broker",
                    CheckStatus.Fail,
                    $"{where}: {Describe(failure)}; port {fallbackPort} with ALPN {MqttTransportOptions.AwsAlpn} failed too ({Describe(alpnFailure)}): " +
                    "check the store network's firewall for outbound 8883 and 443 to Mqtt:Host");
            }
        }
        else if (client is null)
        {
            yield return new("broker", CheckStatus.Fail, $"{where}: {Describe(failure)}");
        }
        else
        {
            yield return new(
                "broker",
                CheckStatus.Ok,
                $"connected to {where} over mutual TLS as {options.Device.ThingName} " +
                "(a running agent with the same client id was briefly disconnected and reconnects by itself)");
        }

        if (client is null)
        {
            yield break;
        }

        await using (client.ConfigureAwait(false))
        {
            yield return await TopicRoundTrip.RunAsync(
                client,
                topics.Doctor,
                configured.ProtocolVersion == MQTTnet.Formatter.MqttProtocolVersion.V500,
                RoundTripTimeout,
                cancellationToken).ConfigureAwait(false);
            await client.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<(MqttTransport? Client, Exception? Failure)> ConnectAsync(
        MqttTransportOptions options, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var client = new MqttTransport(options, time, loggers.CreateLogger<MqttTransport>());
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await client.ConnectOnceAsync(timeout.Token).ConfigureAwait(false);
            return (client, null);
        }
        catch (Exception e) when (e is MqttException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            await client.DisposeAsync().ConfigureAwait(false);
            return (null, e);
        }
    }

    /// <summary>Refused, unreachable or silent: what a firewall does to a port; a TLS or MQTT refusal is not that.</summary>
    private static bool IsBlocked(Exception? failure) => failure switch
    {
        MqttTransportException t => t.Failure is MqttTransportFailure.ConnectionRefused or MqttTransportFailure.Unreachable or MqttTransportFailure.Timeout,
        OperationCanceledException => true,
        _ => false,
    };

    private static string Describe(Exception? failure) => failure switch
    {
        OperationCanceledException => $"no answer within {ConnectTimeout.TotalSeconds:0} s (a firewall dropping the port?)",
        null => "unknown failure",
        _ => failure.Message,
    };
}

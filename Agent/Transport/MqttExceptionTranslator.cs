using System.Net.Sockets;
using System.Security.Authentication;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Exceptions;
using ShelfAgent.Transport.Tls;

namespace ShelfAgent.Transport;

/// <summary>
/// The one place where what MQTTnet, the socket and TLS throw becomes the transport's own small set
/// (<see cref="MqttTransportException"/>, <see cref="MqttTlsException"/>, <see cref="MqttProtocolException"/>,
/// <see cref="MqttNotConnectedException"/>) with a hint for the operator, as MQTTnet's <c>MqttChannelAdapter</c> wraps
/// what its channel throws in one method for its own layer. The transport asks it at the three places an error can
/// surface: a connect attempt (<see cref="ConnectFailed"/>), the end of an established connection
/// (<see cref="ConnectionEnded"/>) and a publish (<see cref="PublishFailed"/>). Reason codes the broker sends are named by
/// <see cref="ReasonCodes"/>. Pure: exceptions in, exceptions out; the transport logs.
/// </summary>
public static class MqttExceptionTranslator
{
    /// <summary>What a failed connect attempt (TCP, TLS, CONNECT/CONNACK) throws, given what our certificate check found.</summary>
    internal static MqttException ConnectFailed(Exception exception, MqttTransportOptions options, TlsValidationOutcome outcome, bool timedOut)
    {
        var where = $"{options.Host}:{options.Port}";
        if (timedOut)
        {
            return new MqttTransportException(MqttTransportFailure.Timeout,
                $"Connecting to {where} took longer than {(options.ConnectTimeout + options.ConnAckTimeout).TotalSeconds:0.#} s.",
                "Check the network path and firewall (store firewalls often drop port 8883: try Mqtt:Port=443).", exception);
        }

        var cause = Unwrap(exception);
        if (cause is MqttException ours)
        {
            return ours;
        }

        var closedAfterOurCheck = outcome.ServerAccepted
            && Translate(cause, options.Host, options.Port, outcome) is MqttTransportException { Failure: MqttTransportFailure.ClosedByBroker };
        if (cause is not AuthenticationException && outcome.Failure is null && (IsClosedBeforeConnAck(exception) || closedAfterOurCheck))
        {
            // With TLS 1.3 the client finishes its handshake before the broker checks our certificate (RFC 8446 §4.4.2),
            // so a rejected certificate shows up as the connection closing before CONNACK. AWS IoT does the same
            // when the policy denies iot:Connect.
            return new MqttTlsException(MqttTlsFailure.ClientCertificateRejected,
                $"The broker at {where} closed the connection before CONNACK: it rejected our device certificate, " +
                $"or its policy does not allow client id '{options.ClientId}' to connect.",
                HintFor(MqttTlsFailure.ClientCertificateRejected) + " For AWS IoT also check the policy allows iot:Connect for this client id.", exception);
        }

        return Translate(cause, options.Host, options.Port, outcome);
    }

    /// <summary>
    /// Why an established connection ended, from what MQTTnet's Disconnected event says: its reason (the broker's
    /// DISCONNECT reason code, MQTT 5 §3.14.2.1) and the exception that ended it, if any.
    /// </summary>
    /// <param name="reason">MQTTnet's disconnect reason.</param>
    /// <param name="reasonString">The broker's reason string (MQTT 5), if any.</param>
    /// <param name="exception">What ended the connection, if anything was thrown.</param>
    /// <param name="stopping">True when our own orderly stop closed it.</param>
    /// <param name="options">Where we were connected.</param>
    /// <param name="refusal">A publish refusal on this connection, or one to a refused topic still unanswered, that would
    /// explain a close by the broker; null for none.</param>
    /// <param name="awaitingPubAcks">QoS 1 publishes sent on the connection that never had their PUBACK.</param>
    internal static ConnectionEnd ConnectionEnded(
        MqttClientDisconnectReason reason, string? reasonString, Exception? exception, bool stopping, MqttTransportOptions options,
        RefusalAtClose? refusal = null, int awaitingPubAcks = 0)
    {
        var code = (int)reason;
        var where = $"{options.Host}:{options.Port}";
        if (reason == MqttClientDisconnectReason.NormalDisconnection && (stopping || exception is null))
        {
            // MQTTnet reports a close without DISCONNECT (end of stream) as normal, like our own DISCONNECT: only our stop
            // tells them apart. Without one, the broker closed: MQTT 3.1.1 has no DISCONNECT from the server, mosquitto
            // 2.0.11 closes an MQTT 5 connection that another client took over without one, and AWS IoT closes when a
            // policy denies.
            return stopping
                ? new ConnectionEnd(null, ConnectionEndKind.Orderly)
                : new ConnectionEnd(Closed(where, null, refusal, awaitingPubAcks), ConnectionEndKind.ClosedByBroker, Refusal: refusal);
        }

        if (exception is not null)
        {
            var cause = exception;
            while (cause is MqttCommunicationException or AggregateException
                   && cause.InnerException is { } inner
                   && cause is not MqttCommunicationTimedOutException)
            {
                cause = inner;
            }

            if (cause is MqttProtocolException or MqttProtocolViolationException)
            {
                return new ConnectionEnd(
                    cause as MqttProtocolException ?? new MqttProtocolException(cause.Message, cause), ConnectionEndKind.ProtocolViolation);
            }

            if (cause is MqttCommunicationTimedOutException)
            {
                // MQTTnet pings after a keep-alive period without sending and gives the PINGRESP half a period.
                return new ConnectionEnd(new MqttTransportException(MqttTransportFailure.KeepAliveTimeout,
                    $"No answer from {where} within 1.5 × keep-alive of {options.KeepAliveSeconds} s.",
                    "The connection is half-open (the network dropped silently); the agent reconnects.", cause), ConnectionEndKind.Lost);
            }

            if (code is 0 or 0x80)
            {
                var translated = Translate(cause, options.Host, options.Port);
                return translated is MqttTransportException { Failure: MqttTransportFailure.ClosedByBroker }
                    ? new ConnectionEnd(
                        refusal is null && awaitingPubAcks == 0 ? translated : Closed(where, cause, refusal, awaitingPubAcks),
                        ConnectionEndKind.ClosedByBroker,
                        Refusal: refusal)
                    : new ConnectionEnd(translated, ConnectionEndKind.Lost);
            }
        }

        // MQTT 5 §3.14.2.1: the broker said why in its DISCONNECT.
        var said = new MqttException(
            $"The broker disconnected us: {ReasonCodes.Describe(code)}{(string.IsNullOrEmpty(reasonString) ? "" : $": {reasonString}")}.",
            ReasonCodes.Hint(code));
        return new ConnectionEnd(said, ConnectionEndKind.DisconnectedByBroker, code);
    }

    /// <summary>
    /// What a publish throws when it could not complete, or null when <paramref name="exception"/> goes to the caller as
    /// it is (a refusal, a caller bug). <paramref name="exception"/> is an <see cref="OperationCanceledException"/> only
    /// when the caller did not cancel: the connection ended or the transport stopped while the publish waited.
    /// </summary>
    internal static MqttNotConnectedException? PublishFailed(Exception exception, bool stopped, TimeSpan writeTimeout) => exception switch
    {
        OperationCanceledException when stopped => new MqttNotConnectedException("The MQTT transport stopped before the broker acknowledged."),
        OperationCanceledException => new MqttNotConnectedException(),
        // No PUBACK within the write timeout while the connection looks open: it is half-open, and the transport replaces it.
        MqttCommunicationTimedOutException
            => new MqttNotConnectedException($"No PUBACK within {writeTimeout.TotalSeconds:0.#} s; the connection is replaced.", exception),
        _ when IsDisconnected(exception) || exception is MqttCommunicationException
            => new MqttNotConnectedException("The MQTT connection ended before the broker acknowledged.", exception),
        _ => null,
    };

    /// <summary>True when MQTTnet says the connection ended under a request (or was not there when it was made).</summary>
    internal static bool IsDisconnected(Exception exception) => exception is MqttClientDisconnectedException or MqttClientNotConnectedException;

    /// <summary>
    /// True when the connection is gone under a request: MQTTnet says so, or the socket failed while sending it (MQTTnet
    /// wraps the broken pipe in an <see cref="MqttCommunicationException"/>). A timed-out answer is not: the connection may live.
    /// </summary>
    internal static bool IsConnectionLost(Exception exception) =>
        IsDisconnected(exception) || exception is MqttCommunicationException and not MqttCommunicationTimedOutException;

    /// <summary>Translates a socket, TLS or I/O <paramref name="exception"/> raised while talking to <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static MqttException Translate(Exception exception, string host, int port, TlsValidationOutcome? tls = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var where = $"{host}:{port}";
        switch (exception)
        {
            case MqttException mqtt:
                return mqtt;
            case AuthenticationException auth:
                return TranslateHandshake(auth, where, tls);
            case SocketException socket:
                return TranslateSocket(socket, where);
            case IOException io when io.InnerException is SocketException socket:
                return TranslateSocket(socket, where);
            case IOException io when tls?.Failure is null && LooksLikeAlert(io):
                return ClientRejected(where, io);
            case IOException io:
                return Closed(where, io);
            case ObjectDisposedException disposed:
                return Closed(where, disposed);
            case TimeoutException timeout:
                return new MqttTransportException(
                    MqttTransportFailure.Timeout,
                    $"Timed out talking to {where}.",
                    "Check the network path; a slow link may need a larger Mqtt timeout.",
                    timeout);
            default:
                return new MqttTransportException(MqttTransportFailure.Other, $"Connection to {where} failed: {exception.Message}", null, exception);
        }
    }

    /// <summary>The "connection closed by the broker" failure (end of stream or reset).</summary>
    public static MqttTransportException Closed(string where, Exception? inner = null) => new(
        MqttTransportFailure.ClosedByBroker,
        $"The broker at {where} closed the connection.",
        "For AWS IoT this usually means the policy denies this client id or topic, or another connection took the same client id; see the broker log.",
        inner);

    /// <summary>
    /// The close by the broker, explained by a publish refusal when there is one: mosquitto closes a TLS connection right
    /// after its PUBACK 0x87, and the close can reach us before the PUBACK (or the PUBACK is lost with it); AWS IoT closes
    /// instead of refusing. Without one, it says how many publishes had no PUBACK yet, if any.
    /// </summary>
    internal static MqttTransportException Closed(string where, Exception? inner, RefusalAtClose? refusal, int awaitingPubAcks) => refusal switch
    {
        null when awaitingPubAcks > 0 => new(MqttTransportFailure.ClosedByBroker,
            $"The broker at {where} closed the connection while {awaitingPubAcks} publish{(awaitingPubAcks == 1 ? "" : "es")} sent on it had no PUBACK.",
            "For AWS IoT this usually means the policy denies this client id or topic (it closes instead of refusing a publish), " +
            "or another connection took the same client id; see the broker log.",
            inner),
        null => Closed(where, inner),
        { Unanswered: true } => new(MqttTransportFailure.ClosedByBroker,
            $"The broker at {where} closed the connection while a publish to {refusal.Topic} awaited its PUBACK; " +
            $"it had refused publishes to {refusal.Topic} with {ReasonCodes.Describe(refusal.Code)}, " +
            "so the close is most likely that refusal again (the close can arrive before the PUBACK).",
            ReasonCodes.Hint(refusal.Code), inner),
        _ => new(MqttTransportFailure.ClosedByBroker,
            $"The broker at {where} closed the connection after refusing a publish to {refusal.Topic} with {ReasonCodes.Describe(refusal.Code)}.",
            ReasonCodes.Hint(refusal.Code), inner),
    };

    /// <summary>The operator hint for a TLS failure.</summary>
    public static string HintFor(MqttTlsFailure failure) => failure switch
    {
        MqttTlsFailure.CertificateExpired => "Renew the broker certificate, or check the device clock is not far in the future.",
        MqttTlsFailure.CertificateNotYetValid => "The device clock is probably wrong (a Pi has no RTC): wait for NTP sync (timedatectl) before connecting.",
        MqttTlsFailure.UnknownCa
            => "Mqtt:CaFile must hold the CA that signed the broker certificate (AmazonRootCA1.pem for AWS IoT); a TLS-intercepting proxy also causes this.",
        MqttTlsFailure.HostNameMismatch => "Mqtt:Host must be a name in the broker certificate (use the ATS endpoint name, not an IP address).",
        MqttTlsFailure.ServerCertificateRevoked
            => "Do not connect to this broker: its certificate was revoked. Check Mqtt:Host (a TLS-intercepting proxy also causes this).",
        MqttTlsFailure.ClientCertificateRejected
            => "Check Mqtt:CertFile/KeyFile: the certificate must be signed by a CA the broker trusts (registered and ACTIVE in AWS IoT) and not expired.",
        MqttTlsFailure.ClientCertificateUnreadable
            => "Check the paths and permissions of Mqtt:CertFile and Mqtt:KeyFile (PEM; key RSA or EC P-256, unencrypted) and that they belong together.",
        MqttTlsFailure.CaFileUnreadable => "Check the path and contents of Mqtt:CaFile (PEM certificates).",
        _ => "Check the broker certificate and Mqtt:CaFile.",
    };

    // MQTTnet wraps the real cause in MqttConnectingFailedException and MqttCommunicationException, sometimes twice.
    private static Exception Unwrap(Exception e)
    {
        while (e is MqttCommunicationException && e is not MqttCommunicationTimedOutException && e.InnerException is { } inner)
        {
            e = inner;
        }

        return e;
    }

    // MQTTnet throws MqttConnectingFailedException only from the CONNECT/CONNACK exchange, after TCP and TLS are up:
    // failing there other than by a time-out or a bad packet means the broker closed or reset the connection.
    private static bool IsClosedBeforeConnAck(Exception e)
    {
        for (var x = (Exception?)e; x is not null; x = x.InnerException)
        {
            if (x is MqttConnectingFailedException)
            {
                return Unwrap(x) is not (OperationCanceledException or MqttProtocolViolationException or MqttCommunicationTimedOutException);
            }
        }

        return false;
    }

    private static MqttTransportException TranslateSocket(SocketException e, string where) => e.SocketErrorCode switch
    {
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain or SocketError.NoRecovery => new(
            MqttTransportFailure.DnsFailure, $"DNS lookup of {where} failed ({e.SocketErrorCode}).",
            "Check the spelling of Mqtt:Host (the AWS IoT endpoint is under Settings in the console) and the device's DNS/network.", e),
        SocketError.ConnectionRefused => new(
            MqttTransportFailure.ConnectionRefused, $"Connection to {where} was refused: nothing listens there.",
            "Check Mqtt:Port (8883, or 443 with ALPN) and that the broker is running.", e),
        SocketError.TimedOut or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostDown or SocketError.NetworkDown => new(
            MqttTransportFailure.Unreachable, $"{where} is unreachable ({e.SocketErrorCode}).",
            "Check the network link; store firewalls often block port 8883: try Mqtt:Port=443 (ALPN x-amzn-mqtt-ca).", e),
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown or SocketError.NotConnected => Closed(where, e),
        _ => new(MqttTransportFailure.Other, $"Socket error talking to {where}: {e.SocketErrorCode}.", null, e),
    };

    private static MqttTlsException TranslateHandshake(AuthenticationException e, string where, TlsValidationOutcome? tls)
    {
        if (tls?.Failure is { } failure)
        {
            return new MqttTlsException(failure, $"TLS handshake with {where} failed: {Describe(failure)}. {tls.Detail}".TrimEnd(), HintFor(failure), e);
        }

        if (LooksLikeAlert(e))
        {
            return ClientRejected(where, e);
        }

        return new MqttTlsException(MqttTlsFailure.HandshakeFailed, $"TLS handshake with {where} failed: {Innermost(e).Message}",
            "Check that the broker speaks TLS 1.2/1.3 on this port and, on port 443, that ALPN x-amzn-mqtt-ca is allowed.", e);
    }

    private static MqttTlsException ClientRejected(string where, Exception e) => new(
        MqttTlsFailure.ClientCertificateRejected,
        $"TLS handshake with {where} failed: the broker rejected our device certificate ({Innermost(e).Message}).",
        HintFor(MqttTlsFailure.ClientCertificateRejected), e);

    // OpenSSL reports the peer's TLS alerts as e.g. "tlsv1 alert unknown ca", "sslv3 alert bad certificate",
    // "tlsv13 alert certificate required": the broker did not accept what we sent (RFC 8446 §6.2).
    private static bool LooksLikeAlert(Exception e)
    {
        for (var x = (Exception?)e; x is not null; x = x.InnerException)
        {
            var m = x.Message;
            if (m.Contains("alert unknown ca", StringComparison.OrdinalIgnoreCase)
                || m.Contains("alert bad certificate", StringComparison.OrdinalIgnoreCase)
                || m.Contains("certificate required", StringComparison.OrdinalIgnoreCase)
                || m.Contains("alert certificate unknown", StringComparison.OrdinalIgnoreCase)
                || m.Contains("alert handshake failure", StringComparison.OrdinalIgnoreCase)
                || m.Contains("alert certificate revoked", StringComparison.OrdinalIgnoreCase)
                || m.Contains("alert certificate expired", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    private static string Describe(MqttTlsFailure failure) => failure switch
    {
        MqttTlsFailure.CertificateExpired => "the broker's certificate has expired",
        MqttTlsFailure.CertificateNotYetValid => "the broker's certificate is not valid yet",
        MqttTlsFailure.UnknownCa => "the broker's certificate is not signed by a trusted CA",
        MqttTlsFailure.HostNameMismatch => "the broker's certificate does not match the host name",
        MqttTlsFailure.ServerCertificateRevoked => "the broker's certificate is revoked",
        _ => "the broker's certificate is invalid",
    };
}

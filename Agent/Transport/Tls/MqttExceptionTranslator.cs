using System.Net.Sockets;
using System.Security.Authentication;

namespace ShelfAgent.Transport.Tls;

/// <summary>
/// The one place where socket, TLS and I/O exceptions become our own small set
/// (<see cref="MqttTransportException"/>, <see cref="MqttTlsException"/>) with a hint for the operator.
/// </summary>
public static class MqttExceptionTranslator
{
    /// <summary>Translates <paramref name="exception"/> raised while talking to <paramref name="host"/>:<paramref name="port"/>.</summary>
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
                return new MqttTransportException(MqttTransportFailure.Timeout, $"Timed out talking to {where}.", "Check the network path; a slow link may need a larger Mqtt timeout.", timeout);
            default:
                return new MqttTransportException(MqttTransportFailure.Other, $"Connection to {where} failed: {exception.Message}", null, exception);
        }
    }

    /// <summary>The "connection closed by the broker" failure (EOF on read).</summary>
    public static MqttTransportException Closed(string where, Exception? inner = null) => new(
        MqttTransportFailure.ClosedByBroker,
        $"The broker at {where} closed the connection.",
        "For AWS IoT this usually means the policy denies this client id or topic, or another connection took the same client id; see the broker log.",
        inner);

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

    /// <summary>The operator hint for a TLS failure.</summary>
    public static string HintFor(MqttTlsFailure failure) => failure switch
    {
        MqttTlsFailure.CertificateExpired => "Renew the broker certificate, or check the device clock is not far in the future.",
        MqttTlsFailure.CertificateNotYetValid => "The device clock is probably wrong (a Pi has no RTC): wait for NTP sync (timedatectl) before connecting.",
        MqttTlsFailure.UnknownCa => "Mqtt:CaFile must hold the CA that signed the broker certificate (AmazonRootCA1.pem for AWS IoT); a TLS-intercepting proxy also causes this.",
        MqttTlsFailure.HostNameMismatch => "Mqtt:Host must be a name in the broker certificate (use the ATS endpoint name, not an IP address).",
        MqttTlsFailure.ServerCertificateRevoked => "Do not connect to this broker: its certificate was revoked. Check Mqtt:Host (a TLS-intercepting proxy also causes this).",
        MqttTlsFailure.ClientCertificateRejected => "Check Mqtt:CertFile/KeyFile: the certificate must be signed by a CA the broker trusts (registered and ACTIVE in AWS IoT) and not expired.",
        MqttTlsFailure.ClientCertificateUnreadable => "Check the paths and permissions of Mqtt:CertFile and Mqtt:KeyFile (PEM; key RSA or EC P-256, unencrypted) and that they belong together.",
        MqttTlsFailure.CaFileUnreadable => "Check the path and contents of Mqtt:CaFile (PEM certificates).",
        _ => "Check the broker certificate and Mqtt:CaFile.",
    };
}

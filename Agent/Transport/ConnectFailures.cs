using System.Security.Authentication;
using MQTTnet.Adapter;
using MQTTnet.Exceptions;
using ShelfAgent.Transport.Tls;

namespace ShelfAgent.Transport;

/// <summary>
/// The one place where what MQTTnet throws while connecting (its communication exceptions wrapping socket, TLS and
/// I/O errors) becomes our own small set with a technician's hint, through <see cref="MqttExceptionTranslator"/>.
/// </summary>
internal static class ConnectFailures
{
    public static MqttException Translate(Exception exception, MqttTransportOptions options, TlsValidationOutcome outcome, bool timedOut)
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

        var closedAfterOurCheck = outcome.ServerAccepted && MqttExceptionTranslator.Translate(cause, options.Host, options.Port, outcome) is MqttTransportException { Failure: MqttTransportFailure.ClosedByBroker };
        if (cause is not AuthenticationException && outcome.Failure is null && (IsClosedBeforeConnAck(exception) || closedAfterOurCheck))
        {
            // With TLS 1.3 the client finishes its handshake before the broker checks our certificate (RFC 8446 §4.4.2),
            // so a rejected certificate shows up as the connection closing before CONNACK. AWS IoT does the same
            // when the policy denies iot:Connect.
            return new MqttTlsException(MqttTlsFailure.ClientCertificateRejected,
                $"The broker at {where} closed the connection before CONNACK: it rejected our device certificate, or its policy does not allow client id '{options.ClientId}' to connect.",
                MqttExceptionTranslator.HintFor(MqttTlsFailure.ClientCertificateRejected) + " For AWS IoT also check the policy allows iot:Connect for this client id.", exception);
        }

        return MqttExceptionTranslator.Translate(cause, options.Host, options.Port, outcome);
    }

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
}

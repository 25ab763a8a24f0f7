using System.Net.Sockets;
using System.Security.Authentication;
using MQTTnet;
using MQTTnet.Exceptions;
using ShelfAgent.Transport;
using ShelfAgent.Transport.Tls;

namespace ShelfAgent.Tests.Transport;

public sealed class MqttExceptionTranslatorTests
{
    private static readonly MqttTransportOptions Options = new() { Host = "h", Port = 8883, ClientId = "shelf-1", KeepAliveSeconds = 60 };

    [Theory]
    [InlineData(SocketError.HostNotFound, MqttTransportFailure.DnsFailure, "Mqtt:Host")]
    [InlineData(SocketError.TryAgain, MqttTransportFailure.DnsFailure, "Mqtt:Host")]
    [InlineData(SocketError.ConnectionRefused, MqttTransportFailure.ConnectionRefused, "Mqtt:Port")]
    [InlineData(SocketError.NetworkUnreachable, MqttTransportFailure.Unreachable, "443")]
    [InlineData(SocketError.TimedOut, MqttTransportFailure.Unreachable, "443")]
    [InlineData(SocketError.ConnectionReset, MqttTransportFailure.ClosedByBroker, "client id")]
    public void Translates_socket_errors_into_failures_with_a_hint(SocketError error, MqttTransportFailure failure, string hintPart)
    {
        var e = Assert.IsType<MqttTransportException>(MqttExceptionTranslator.Translate(new SocketException((int)error), "h", 8883));
        Assert.Equal(failure, e.Failure);
        Assert.Contains(hintPart, e.Hint, StringComparison.Ordinal);
        Assert.Contains("h:8883", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_pipe_while_sending_a_request_counts_as_the_connection_lost_and_a_timed_out_answer_does_not()
    {
        // Seen in CI: a SUBSCRIBE sent as mosquitto closed the connection after refusing a publish failed with this, escaped
        // the subscribe loop untranslated and stopped the host (BackgroundService failed).
        Assert.True(MqttExceptionTranslator.IsConnectionLost(new MqttCommunicationException(new SocketException((int)SocketError.Shutdown))));
        Assert.True(MqttExceptionTranslator.IsConnectionLost(new MqttClientNotConnectedException()));
        Assert.False(MqttExceptionTranslator.IsConnectionLost(new MqttCommunicationTimedOutException()));
        Assert.False(MqttExceptionTranslator.IsConnectionLost(new InvalidOperationException()));
    }

    [Fact]
    public void Unwraps_socket_errors_inside_io_exceptions()
    {
        var e = MqttExceptionTranslator.Translate(new IOException("x", new SocketException((int)SocketError.ConnectionRefused)), "h", 1);
        Assert.Equal(MqttTransportFailure.ConnectionRefused, Assert.IsType<MqttTransportException>(e).Failure);
    }

    [Fact]
    public void Explains_a_handshake_failure_with_what_the_certificate_check_found()
    {
        var outcome = new TlsValidationOutcome { Failure = MqttTlsFailure.CertificateNotYetValid, Detail = "valid from 2030" };
        var e = Assert.IsType<MqttTlsException>(MqttExceptionTranslator.Translate(new AuthenticationException("boom"), "h", 8883, outcome));
        Assert.Equal(MqttTlsFailure.CertificateNotYetValid, e.Failure);
        Assert.Contains("valid from 2030", e.Message, StringComparison.Ordinal);
        Assert.Contains("NTP", e.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("error:0A000418:SSL routines::tlsv1 alert unknown ca")]
    [InlineData("error:0A000412:SSL routines::sslv3 alert bad certificate")]
    [InlineData("error:0A00045C:SSL routines::tlsv13 alert certificate required")]
    public void Reads_a_peer_alert_as_our_certificate_being_rejected(string openSslMessage)
    {
        var e = MqttExceptionTranslator.Translate(
            new AuthenticationException("Authentication failed", new IOException(openSslMessage)), "h", 8883, new TlsValidationOutcome());
        Assert.Equal(MqttTlsFailure.ClientCertificateRejected, Assert.IsType<MqttTlsException>(e).Failure);
    }

    [Fact]
    public void Passes_our_own_exceptions_through()
    {
        var ours = new MqttProtocolException("bad");
        Assert.Same(ours, MqttExceptionTranslator.Translate(ours, "h", 1));
    }

    [Fact]
    public void Our_own_stop_ends_a_connection_without_a_reason()
    {
        var end = MqttExceptionTranslator.ConnectionEnded(MqttClientDisconnectReason.NormalDisconnection, null, null, stopping: true, Options);
        Assert.Equal((null, ConnectionEndKind.Orderly), (end.Reason, end.Kind));
    }

    [Fact]
    public void A_disconnect_with_a_reason_code_names_it_with_its_hint()
    {
        var end = MqttExceptionTranslator.ConnectionEnded(MqttClientDisconnectReason.SessionTakenOver, null, null, stopping: false, Options);

        Assert.Equal((ConnectionEndKind.DisconnectedByBroker, 0x8E), (end.Kind, end.ReasonCode));
        Assert.Contains("The broker disconnected us: session taken over (0x8E).", end.Reason!.Message, StringComparison.Ordinal);
        Assert.Contains("Device:ThingName", end.Reason.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_protocol_violation_inside_mqttnets_wrapper_ends_the_connection_as_ours()
    {
        var end = MqttExceptionTranslator.ConnectionEnded(
            MqttClientDisconnectReason.UnspecifiedError,
            null,
            new MqttCommunicationException(new MqttProtocolViolationException("bad packet")),
            stopping: false,
            Options);

        Assert.Equal(ConnectionEndKind.ProtocolViolation, end.Kind);
        Assert.Equal("bad packet", Assert.IsType<MqttProtocolException>(end.Reason).Message);
    }

    [Fact]
    public void A_silent_broker_is_a_keep_alive_timeout()
    {
        var end = MqttExceptionTranslator.ConnectionEnded(
            MqttClientDisconnectReason.UnspecifiedError, null, new MqttCommunicationTimedOutException(), stopping: false, Options);

        Assert.Equal(MqttTransportFailure.KeepAliveTimeout, Assert.IsType<MqttTransportException>(end.Reason).Failure);
        Assert.Contains("1.5 × keep-alive of 60 s", end.Reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reset_connection_is_closed_by_the_broker()
    {
        var end = MqttExceptionTranslator.ConnectionEnded(
            MqttClientDisconnectReason.NormalDisconnection,
            null,
            new MqttCommunicationException(new SocketException((int)SocketError.ConnectionReset)),
            stopping: false,
            Options);

        Assert.Equal(ConnectionEndKind.ClosedByBroker, end.Kind);
        Assert.Equal(MqttTransportFailure.ClosedByBroker, Assert.IsType<MqttTransportException>(end.Reason).Failure);
    }

    [Fact]
    public void A_publish_cut_off_by_the_connection_or_the_stop_fails_as_not_connected_and_a_refusal_passes_through()
    {
        Assert.Equal(
            "The MQTT connection ended before the broker acknowledged.",
            MqttExceptionTranslator.PublishFailed(
                new MqttClientDisconnectedException(new IOException("x")), stopped: false, TimeSpan.FromSeconds(30))!.Message);
        Assert.Equal(
            "The MQTT transport stopped before the broker acknowledged.",
            MqttExceptionTranslator.PublishFailed(new OperationCanceledException(), stopped: true, TimeSpan.FromSeconds(30))!.Message);
        Assert.Equal(
            "No PUBACK within 30 s; the connection is replaced.",
            MqttExceptionTranslator.PublishFailed(new MqttCommunicationTimedOutException(), stopped: false, TimeSpan.FromSeconds(30))!.Message);
        Assert.Null(MqttExceptionTranslator.PublishFailed(new MqttPublishRefusedException("t", 0x87, null), stopped: false, TimeSpan.FromSeconds(30)));
        Assert.Null(MqttExceptionTranslator.PublishFailed(new ArgumentException("bad topic"), stopped: false, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void A_close_without_disconnect_that_we_did_not_ask_for_is_the_broker_closing()
    {
        var end = MqttExceptionTranslator.ConnectionEnded(MqttClientDisconnectReason.NormalDisconnection, null, null, stopping: false, Options);

        Assert.Equal(ConnectionEndKind.ClosedByBroker, end.Kind);
        Assert.Equal("The broker at h:8883 closed the connection.", Assert.IsType<MqttTransportException>(end.Reason).Message.Split(" Hint:")[0]);
        Assert.Contains("another connection took the same client id", end.Reason.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_close_while_a_publish_to_a_refused_topic_awaits_its_puback_names_the_refusal()
    {
        var refusal = new RefusalAtClose("dt/shelf/s1/shelf-1/telemetry", 0x87, Unanswered: true);

        var end = MqttExceptionTranslator.ConnectionEnded(MqttClientDisconnectReason.NormalDisconnection, null, null, stopping: false, Options, refusal);

        Assert.Equal((ConnectionEndKind.ClosedByBroker, refusal), (end.Kind, end.Refusal));
        Assert.Contains(
            "while a publish to dt/shelf/s1/shelf-1/telemetry awaited its PUBACK; " +
            "it had refused publishes to dt/shelf/s1/shelf-1/telemetry with not authorized (0x87)",
            end.Reason!.Message,
            StringComparison.Ordinal);
        Assert.Contains("iot:Publish", end.Reason.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_close_right_after_a_refusal_on_the_connection_names_it()
    {
        var end = MqttExceptionTranslator.ConnectionEnded(
            MqttClientDisconnectReason.NormalDisconnection, null, null, stopping: false, Options, new RefusalAtClose("t/a", 0x87, Unanswered: false));

        Assert.StartsWith(
            "The broker at h:8883 closed the connection after refusing a publish to t/a with not authorized (0x87).",
            end.Reason!.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_close_while_publishes_had_no_puback_says_so()
    {
        var end = MqttExceptionTranslator.ConnectionEnded(
            MqttClientDisconnectReason.NormalDisconnection, null, null, stopping: false, Options, awaitingPubAcks: 2);

        Assert.Equal((ConnectionEndKind.ClosedByBroker, null), (end.Kind, end.Refusal));
        Assert.StartsWith(
            "The broker at h:8883 closed the connection while 2 publishes sent on it had no PUBACK.",
            end.Reason!.Message,
            StringComparison.Ordinal);
        Assert.Contains("closes instead of refusing a publish", end.Reason.Hint, StringComparison.Ordinal);
    }
}

using System.Net.Sockets;
using System.Security.Authentication;
using ShelfAgent.Transport;
using ShelfAgent.Transport.Tls;

namespace ShelfAgent.Tests.Transport.Tls;

public sealed class MqttExceptionTranslatorTests
{
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
        var e = MqttExceptionTranslator.Translate(new AuthenticationException("Authentication failed", new IOException(openSslMessage)), "h", 8883, new TlsValidationOutcome());
        Assert.Equal(MqttTlsFailure.ClientCertificateRejected, Assert.IsType<MqttTlsException>(e).Failure);
    }

    [Fact]
    public void Passes_our_own_exceptions_through()
    {
        var ours = new MqttProtocolException("bad");
        Assert.Same(ours, MqttExceptionTranslator.Translate(ours, "h", 1));
    }
}

using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Formatter;
using ShelfAgent.Transport.Tls;
using ShelfAgent.Transport.Wire;

namespace ShelfAgent.Transport;

/// <summary>
/// Turns our options into MQTTnet's for one connection attempt. Built anew for every attempt, so a certificate or
/// key file replaced on disk (rotation) is used on the next connect.
/// </summary>
internal static class MqttNetOptions
{
    /// <summary>MQTTnet options for one attempt; throws <see cref="MqttTlsException"/> when a PEM file cannot be read.</summary>
    public static MqttClientOptions Build(MqttTransportOptions o, TlsValidationOutcome outcome, TimeProvider time)
    {
        // Credentials first: a bad file is a configuration problem, reported before touching the network.
        var trust = TlsCredentials.LoadTrust(o);
        var client = TlsCredentials.LoadClientCertificate(o);
        var tls = new MqttClientTlsOptions
        {
            UseTls = true,
            // TargetHost drives both SNI (not sent for IP literals, RFC 6066 §3) and the host-name check.
            TargetHost = o.Host,
            SslProtocol = SslProtocols.Tls12 | SslProtocols.Tls13,
            TrustChain = trust,
            // The chain is built without fetching revocation data (an offline device or a captive network would
            // hang the handshake); ServerCertificateValidator then checks revocation itself with a short time limit.
            RevocationMode = X509RevocationMode.NoCheck,
            // Replaces MQTTnet's check entirely: ours records why a certificate is refused, for the technician.
            CertificateValidationHandler = args => ServerCertificateValidator.Validate(
                o.Host, args.Certificate, args.Chain, args.SslPolicyErrors, outcome, time, trust),
            ApplicationProtocols = o.EffectiveAlpn is { } alpn ? [new SslApplicationProtocol(alpn)] : null,
        };
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(o.Host, o.Port)
            .WithTlsOptions(tls)
            .WithClientId(o.ClientId)
            .WithProtocolVersion(o.ProtocolVersion)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(o.KeepAliveSeconds))
            .WithTimeout(o.WriteTimeout)
            .WithoutPacketFragmentation();
        if (o.KeepAliveSeconds == 0)
        {
            builder.WithNoKeepAlive();
        }

        if (o.ProtocolVersion == MqttProtocolVersion.V500)
        {
            builder.WithCleanStart(o.CleanSession)
                .WithSessionExpiryInterval(o.SessionExpirySeconds)
                // MQTT 5 §3.1.2.11.4: the broker must not send us anything larger (we also refuse it on the wire).
                .WithMaximumPacketSize((uint)o.MaxIncomingPacketBytes)
                .WithReceiveMaximum((ushort)Math.Min(o.MaxInFlight, ushort.MaxValue));
        }
        else
        {
            builder.WithCleanSession(o.CleanSession);
        }

        if (o.Username is not null)
        {
            builder.WithCredentials(o.Username, o.Password);
        }

        if (o.Will is { } will)
        {
            builder.WithWillTopic(will.Topic)
                .WithWillPayload(will.Payload.ToArray())
                .WithWillQualityOfServiceLevel(will.Qos)
                .WithWillRetain(will.Retain);
        }

        var options = builder.Build();
        if (options.ChannelOptions is MqttClientTcpOptions tcp)
        {
            // MQTTnet's default (linger on, 0 s) resets the connection on close, which can destroy the DISCONNECT
            // just written: the broker would then publish the will after an orderly stop.
            tcp.LingerState = new LingerOption(false, 0);
            tcp.NoDelay = true;
            // TLS is ours, MQTTnet's is off (Wire/TlsStreamProvider says why). The context always sends the device
            // certificate, even when the broker's list of acceptable CAs does not name its issuer: the broker then
            // says why it refuses.
            var context = client is { } chain
                ? SslStreamCertificateContext.Create(chain.Certificate, chain.Intermediates, offline: true)
                : null;
            tcp.StreamProvider = new TlsStreamProvider(tcp, tls, context, o.WriteTimeout);
            tcp.TlsOptions = new MqttClientTlsOptions { UseTls = false };
        }

        return options;
    }
}

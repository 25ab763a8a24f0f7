using System.Net;
using System.Net.Sockets;
using ShelfAgent.Mqtt;
using ShelfAgent.Mqtt.Channel;

namespace ShelfAgent.Tests.Integration.Mqtt;

public sealed class TlsChannelFactoryTests
{
    [Fact]
    public async Task Times_out_when_the_server_accepts_tcp_but_never_answers_tls()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepting = silent.AcceptSocketAsync();
        using var dir = new TempDirectory("ca");
        using var ca = ShelfAgent.Security.DevCertificateAuthority.Create("Silent CA");
        ca.WritePem(dir.File("ca.crt"), dir.File("ca.key"));
        var options = new MqttClientOptions
        {
            Host = "127.0.0.1",
            Port = ((IPEndPoint)silent.LocalEndpoint).Port,
            CaFile = dir.File("ca.crt"),
            ConnectTimeout = TimeSpan.FromSeconds(1),
        };

        var e = await Assert.ThrowsAsync<MqttTransportException>(async () => await new TlsChannelFactory(TimeProvider.System).ConnectAsync(options, MqttTestClients.Patience()));

        Assert.Equal(MqttTransportFailure.Timeout, e.Failure);
        (await accepting).Dispose();
    }

    [Fact]
    public async Task Reports_an_unreadable_key_before_touching_the_network()
    {
        using var dir = new TempDirectory("badkey");
        using var ca = ShelfAgent.Security.DevCertificateAuthority.Create("Key CA");
        using var device = ca.IssueClient("shelf-1");
        device.WritePem(dir.File("d.crt"), dir.File("d.key"));
        File.WriteAllText(dir.File("other.key"), "-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n");
        var options = new MqttClientOptions { Host = "127.0.0.1", Port = 1, CaFile = dir.File("d.crt"), CertFile = dir.File("d.crt"), KeyFile = dir.File("other.key") };

        var e = await Assert.ThrowsAsync<MqttTlsException>(async () => await new TlsChannelFactory(TimeProvider.System).ConnectAsync(options, MqttTestClients.Patience()));

        Assert.Equal(MqttTlsFailure.ClientCertificateUnreadable, e.Failure);
        Assert.DoesNotContain("not base64", e.Message, StringComparison.Ordinal);
    }
}

using ShelfAgent.Transport;
using ShelfAgent.Transport.Tls;

namespace ShelfAgent.Tests.Transport;

public sealed class MqttTransportOptionsTests
{
    private const string AwsHost = "a1b2c3-ats.iot.eu-west-1.amazonaws.com";

    [Fact]
    public void Defaults_are_safe_and_valid_once_a_host_is_set()
    {
        var options = new MqttTransportOptions { Host = "broker.local", ClientId = "shelf-1" };
        Assert.Empty(options.Validate());
        Assert.Equal(8883, options.Port);
        Assert.False(options.CleanSession);
        Assert.Equal(100, options.MaxPublishesPerSecond);
        Assert.Equal(524_288, options.MaxBytesPerSecond);
        Assert.Equal(262_144, options.MaxIncomingPacketBytes);
        Assert.Null(options.EffectiveAlpn);
    }

    [Theory]
    [InlineData(443, null, "x-amzn-mqtt-ca")]
    [InlineData(443, "", null)]
    [InlineData(8883, null, null)]
    [InlineData(8883, "custom", "custom")]
    public void Port_443_turns_on_alpn_and_the_alpn_option_overrides(int port, string? alpn, string? expected)
        => Assert.Equal(expected, new MqttTransportOptions { Host = "h", Port = port, Alpn = alpn }.EffectiveAlpn);

    [Theory]
    [InlineData(29, false)]
    [InlineData(30, true)]
    [InlineData(1200, true)]
    [InlineData(1201, false)]
    public void Keep_alive_must_be_30_to_1200_for_aws_endpoints(int seconds, bool valid)
    {
        var problems = new MqttTransportOptions { Host = AwsHost, KeepAliveSeconds = seconds }.Validate("Mqtt").ToList();
        Assert.Equal(valid, problems.All(p => p.Key != "Mqtt:KeepAliveSeconds"));
        Assert.Empty(new MqttTransportOptions { Host = "localhost", KeepAliveSeconds = 5 }.Validate());
    }

    [Fact]
    public void Aws_rules_can_be_forced_for_another_host()
    {
        var options = new MqttTransportOptions { Host = "localhost", KeepAliveSeconds = 5, AwsIotRules = true };
        Assert.Contains(options.Validate(), p => p.Key == "Mqtt:KeepAliveSeconds");
    }

    [Fact]
    public void Names_each_problem_by_its_configuration_key()
    {
        var problems = new MqttTransportOptions
        {
            Host = "",
            Port = 0,
            CaFile = "/nonexistent/ca.pem",
            CertFile = "/nonexistent/c.pem",
            MaxInFlight = 0,
            MaxPublishesPerSecond = -1,
            MaxBytesPerSecond = -1,
            MaxIncomingPacketBytes = 10,
        }.Validate("Mqtt").Select(p => p.Key).ToHashSet();

        Assert.Superset(
            new HashSet<string>
            {
                "Mqtt:Host", "Mqtt:Port", "Mqtt:CaFile", "Mqtt:CertFile", "Mqtt:KeyFile",
                "Mqtt:MaxInFlight", "Mqtt:MaxPublishesPerSecond", "Mqtt:MaxBytesPerSecond", "Mqtt:MaxIncomingPacketBytes",
            },
            problems);
    }

    [Fact]
    public void Trusts_the_shipped_amazon_roots_by_default_for_an_aws_endpoint()
    {
        var trust = TlsCredentials.LoadTrust(new MqttTransportOptions { Host = AwsHost });
        Assert.NotNull(trust);
        Assert.Equal(["CN=Amazon Root CA 1, O=Amazon, C=US", "CN=Amazon Root CA 3, O=Amazon, C=US"], trust.Select(c => c.Subject).Order());
        Assert.Null(TlsCredentials.LoadTrust(new MqttTransportOptions { Host = "broker.local" }));
    }
}

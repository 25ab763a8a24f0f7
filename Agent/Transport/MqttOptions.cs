namespace ShelfAgent.Transport;

/// <summary><c>Mqtt</c>: how to reach the broker (AWS IoT Core, or mosquitto in development).</summary>
public sealed class MqttOptions
{
    /// <summary><c>Mqtt:Host</c>, e.g. <c>abc123-ats.iot.eu-west-1.amazonaws.com</c>.</summary>
    public string Host { get; set; } = "";

    /// <summary><c>Mqtt:Port</c>: 8883, or 443 (turns on ALPN <c>x-amzn-mqtt-ca</c> for store firewalls that only open HTTPS).</summary>
    public int Port { get; set; } = 8883;

    /// <summary><c>Mqtt:CaFile</c>: trust anchor for the broker; when empty and the host is AWS IoT, the shipped Amazon Root CAs.</summary>
    public string? CaFile { get; set; }

    /// <summary><c>Mqtt:CertFile</c>: the device certificate (PEM).</summary>
    public string CertFile { get; set; } = "";

    /// <summary><c>Mqtt:KeyFile</c>: the device private key (PEM: PKCS#1, SEC1 or PKCS#8).</summary>
    public string KeyFile { get; set; } = "";

    /// <summary><c>Mqtt:ProtocolVersion</c>: <c>5</c> (default) or <c>3.1.1</c>.</summary>
    public string ProtocolVersion { get; set; } = "5";

    /// <summary>
    /// <c>Mqtt:SessionExpirySeconds</c> (MQTT 5): how long the broker keeps the session after a disconnect. AWS IoT caps it at the
    /// account's persistent-session period (1 h by default, up to 7 days).
    /// </summary>
    public long SessionExpirySeconds { get; set; } = 86_400;

    /// <summary><c>Mqtt:KeepAliveSeconds</c> (AWS IoT accepts 30–1200).</summary>
    public int KeepAliveSeconds { get; set; } = 60;

    /// <summary><c>Mqtt:Alpn</c>: ALPN protocol to offer; empty means "x-amzn-mqtt-ca on port 443, none otherwise".</summary>
    public string? Alpn { get; set; }

    /// <summary><c>Mqtt:MaxInFlight</c>: unacknowledged QoS 1 publishes at once (AWS IoT allows ~100).</summary>
    public int MaxInFlight { get; set; } = 100;

    /// <summary>
    /// <c>Mqtt:MaxPublishesPerSecond</c>: publishes in any sliding second, everything the agent sends (AWS: 100/s per connection);
    /// 0 = unlimited.
    /// </summary>
    public double MaxPublishesPerSecond { get; set; } = 100;

    /// <summary><c>Mqtt:MaxBytesPerSecond</c>: PUBLISH bytes on the wire in any sliding second (AWS: 512 KB/s per connection); 0 = unlimited.</summary>
    public long MaxBytesPerSecond { get; set; } = 512 * 1024;

    /// <summary><c>Mqtt:RateLimitGuardMs</c>: the rate-limit window is one second plus this, the allowance for varying delay to the broker's meter.</summary>
    public int RateLimitGuardMs { get; set; } = 25;

    /// <summary><c>Mqtt:MaxIncomingPacketBytes</c>: the largest packet accepted from the broker.</summary>
    public int MaxIncomingPacketBytes { get; set; } = 256 * 1024;
}

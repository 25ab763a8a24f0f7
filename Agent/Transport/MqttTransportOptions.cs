using MQTTnet.Formatter;
using ShelfAgent.Validation;

namespace ShelfAgent.Transport;

/// <summary>
/// Options of <see cref="MqttTransport"/>: a POCO with safe defaults (TLS 1.2+, port 8883, server verified, MQTT 5).
/// Bound by the host from the <c>Mqtt</c> configuration section; check with <see cref="Validate"/> at start.
/// </summary>
public sealed class MqttTransportOptions
{
    /// <summary>The ALPN protocol AWS IoT Core requires for MQTT with X.509 on port 443.</summary>
    public const string AwsAlpn = "x-amzn-mqtt-ca";

    /// <summary>Broker host name (Mqtt:Host), e.g. <c>xxxx-ats.iot.eu-west-1.amazonaws.com</c>.</summary>
    public string Host { get; set; } = "";

    /// <summary>Broker port (Mqtt:Port): 8883, or 443 which turns on ALPN <see cref="AwsAlpn"/>.</summary>
    public int Port { get; set; } = 8883;

    /// <summary>Client identifier; AWS IoT wants the thing name.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>Clean session / clean start (MQTT 3.1.1 §3.1.2.4, MQTT 5 §3.1.2.4). False keeps subscriptions across reconnects.</summary>
    public bool CleanSession { get; set; }

    /// <summary>Protocol (Mqtt:ProtocolVersion): MQTT 5 by default, 3.1.1 on request.</summary>
    public MqttProtocolVersion ProtocolVersion { get; set; } = MqttProtocolVersion.V500;

    /// <summary>
    /// MQTT 5 session expiry in seconds (Mqtt:SessionExpirySeconds, §3.1.2.11.2): how long the broker keeps the session
    /// after a disconnect. AWS IoT Core caps it at the account's persistent-session period (1 h by default, up to 7 days).
    /// </summary>
    public uint SessionExpirySeconds { get; set; } = 86_400;

    /// <summary>Topics sent with an MQTT 5 topic alias when the broker's Topic Alias Maximum allows (§3.3.2.3.4).</summary>
    public IReadOnlyList<string> AliasedTopics { get; set; } = [];

    /// <summary>Keep-alive in seconds (Mqtt:KeepAliveSeconds, §3.1.2.10); AWS IoT allows 30–1200.</summary>
    public int KeepAliveSeconds { get; set; } = 60;

    /// <summary>PEM file of the CA(s) trusted for the broker (Mqtt:CaFile). Null: the Amazon roots for AWS endpoints, else the system store.</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM device certificate (Mqtt:CertFile); may be followed by intermediates.</summary>
    public string? CertFile { get; set; }

    /// <summary>PEM private key (Mqtt:KeyFile): PKCS#1, SEC1 or PKCS#8, RSA or EC P-256.</summary>
    public string? KeyFile { get; set; }

    /// <summary>ALPN protocol (Mqtt:Alpn). Null: <see cref="AwsAlpn"/> on port 443, none otherwise; empty: never.</summary>
    public string? Alpn { get; set; }

    /// <summary>Limit for TCP connect + TLS handshake.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Limit for the CONNACK after CONNECT is sent.</summary>
    public TimeSpan ConnAckTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Limit for one socket write and for an acknowledgment (PUBACK, SUBACK) to arrive: past it the connection is
    /// declared dead and replaced, so a half-open connection that keeps us busy sending is noticed too.
    /// </summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most QoS 1 publishes awaiting PUBACK (Mqtt:MaxInFlight); AWS IoT allows about 100.</summary>
    public int MaxInFlight { get; set; } = 100;

    /// <summary>Will message registered with CONNECT (§3.1.2.5).</summary>
    public MqttWill? Will { get; set; }

    /// <summary>Optional user name (§3.1.2.8); not used with AWS IoT certificates.</summary>
    public string? Username { get; set; }

    /// <summary>Optional password (§3.1.2.9); never logged.</summary>
    public string? Password { get; set; }

    /// <summary>Largest packet accepted from the broker (Mqtt:MaxIncomingPacketBytes); announced as Maximum Packet Size with MQTT 5.</summary>
    public int MaxIncomingPacketBytes { get; set; } = 262_144;

    /// <summary>Publishes per second for the whole client, in any sliding window, resends included (Mqtt:MaxPublishesPerSecond); 0 = unlimited.</summary>
    public double MaxPublishesPerSecond { get; set; } = 100;

    /// <summary>
    /// Bytes per second on the wire for PUBLISH packets (MQTT framing and TLS records included), in any sliding window
    /// (Mqtt:MaxBytesPerSecond); 0 = unlimited.
    /// </summary>
    public long MaxBytesPerSecond { get; set; } = 524_288;

    /// <summary>
    /// How much longer than one second the rate-limit window is (0–1 s): the allowance for the bytes' delay from our
    /// socket to the broker's meter varying, so that no one-second span there exceeds the limits. Default 25 ms.
    /// </summary>
    public TimeSpan RateLimitGuard { get; set; } = PublishRateLimiter.DefaultGuard;

    /// <summary>First reconnect delay ceiling.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a connection must stay up before the reconnect backoff starts again from its first step. A broker that
    /// accepts and then drops at once (an AWS IoT policy denying a topic) keeps the backoff growing.
    /// </summary>
    public TimeSpan StableAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Awaited before every connect attempt (not a configuration key): the simulator passes its fleet-wide connect rate
    /// here, as an account's CONNECT quota admits a fleet's devices. Null: connect at once.
    /// </summary>
    public Func<CancellationToken, ValueTask>? BeforeConnect { get; set; }

    /// <summary>Largest reconnect delay.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Enforce AWS IoT Core rules (keep-alive range, topic segments, $aws topics). Null: on for AWS IoT endpoints
    /// (<see cref="AwsIotLimits.IsAwsIotEndpoint"/>).
    /// </summary>
    public bool? AwsIotRules { get; set; }

    /// <summary>True when the AWS IoT rules apply to this configuration.</summary>
    public bool EnforceAwsRules => AwsIotRules ?? AwsIotLimits.IsAwsIotEndpoint(Host);

    /// <summary>The ALPN protocol actually offered, or null.</summary>
    public string? EffectiveAlpn => Alpn switch
    {
        null => Port == 443 ? AwsAlpn : null,
        "" => null,
        _ => Alpn,
    };

    /// <summary>Checks the options; each problem names its key under <paramref name="section"/> (e.g. "Mqtt").</summary>
    public IEnumerable<ConfigProblem> Validate(string section = "Mqtt")
    {
        string Key(string name) => $"{section}:{name}";
        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return new ConfigProblem(Key(nameof(Host)), "is required: the broker or AWS IoT endpoint host name.");
        }

        if (Port is < 1 or > 65535)
        {
            yield return new ConfigProblem(Key(nameof(Port)), $"must be 1..65535 (8883, or 443 with ALPN); got {Port}.");
        }

        if (ClientId.Length > 128 && EnforceAwsRules)
        {
            yield return new ConfigProblem(Key(nameof(ClientId)), "AWS IoT client ids are at most 128 characters.");
        }

        var (minKeepAlive, maxKeepAlive) = EnforceAwsRules ? (AwsIotLimits.MinKeepAliveSeconds, AwsIotLimits.MaxKeepAliveSeconds) : (0, ushort.MaxValue);
        if (KeepAliveSeconds < minKeepAlive || KeepAliveSeconds > maxKeepAlive)
        {
            yield return new ConfigProblem(
                Key(nameof(KeepAliveSeconds)),
                $"must be {minKeepAlive}..{maxKeepAlive} seconds{(EnforceAwsRules ? " for AWS IoT Core" : "")}; got {KeepAliveSeconds}.");
        }

        foreach (var (name, path) in new[] { (nameof(CaFile), CaFile), (nameof(CertFile), CertFile), (nameof(KeyFile), KeyFile) })
        {
            if (path is not null && !File.Exists(path))
            {
                yield return new ConfigProblem(Key(name), $"file not found: {path}");
            }
        }

        if ((CertFile is null) != (KeyFile is null))
        {
            yield return new ConfigProblem(
                Key(CertFile is null ? nameof(CertFile) : nameof(KeyFile)), "CertFile and KeyFile go together: set both or neither.");
        }

        if (Password is not null && Username is null && ProtocolVersion != MqttProtocolVersion.V500)
        {
            yield return new ConfigProblem(Key(nameof(Password)), "a password needs a user name with MQTT 3.1.1 (§3.1.2.9).");
        }

        if (ProtocolVersion is not (MqttProtocolVersion.V311 or MqttProtocolVersion.V500))
        {
            yield return new ConfigProblem(Key(nameof(ProtocolVersion)), "must be \"5\" (MQTT 5, the default) or \"3.1.1\".");
        }

        if (MaxInFlight is < 1 or > 65_535)
        {
            yield return new ConfigProblem(Key(nameof(MaxInFlight)), $"must be 1..65535; got {MaxInFlight}.");
        }

        if (MaxIncomingPacketBytes < 1024)
        {
            yield return new ConfigProblem(Key(nameof(MaxIncomingPacketBytes)), $"must be at least 1024; got {MaxIncomingPacketBytes}.");
        }

        if (MaxPublishesPerSecond < 0 || double.IsNaN(MaxPublishesPerSecond))
        {
            yield return new ConfigProblem(Key(nameof(MaxPublishesPerSecond)), "must be 0 (unlimited) or positive.");
        }

        if (MaxBytesPerSecond is < 0 or (> 0 and < 1024))
        {
            yield return new ConfigProblem(
                Key(nameof(MaxBytesPerSecond)), $"must be 0 (unlimited) or at least 1024 bytes per second; got {MaxBytesPerSecond}.");
        }

        if (RateLimitGuard < TimeSpan.Zero || RateLimitGuard > TimeSpan.FromSeconds(1))
        {
            yield return new ConfigProblem("Mqtt:RateLimitGuardMs", $"must be 0..1000 ms; got {RateLimitGuard.TotalMilliseconds:0} ms.");
        }

        foreach (var (name, value) in new[]
        {
            (nameof(ConnectTimeout), ConnectTimeout),
            (nameof(ConnAckTimeout), ConnAckTimeout),
            (nameof(WriteTimeout), WriteTimeout),
            (nameof(ReconnectMinDelay), ReconnectMinDelay),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return new ConfigProblem(Key(name), "must be positive.");
            }
        }

        if (ReconnectMaxDelay < ReconnectMinDelay)
        {
            yield return new ConfigProblem(Key(nameof(ReconnectMaxDelay)), "must be at least ReconnectMinDelay.");
        }
    }

    /// <summary>The transport options the agent's <c>Mqtt</c> section gives, before the device adds client id and will.</summary>
    public static MqttTransportOptions FromConfig(MqttOptions m, string clientId)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new MqttTransportOptions
        {
            Host = m.Host,
            Port = m.Port,
            ClientId = clientId,
            CleanSession = false,
            ProtocolVersion = m.ProtocolVersion.Trim() switch
            {
                "5" or "5.0" => MqttProtocolVersion.V500,
                "3.1.1" or "3" or "311" => MqttProtocolVersion.V311,
                _ => MqttProtocolVersion.Unknown,
            },
            SessionExpirySeconds = (uint)Math.Clamp(m.SessionExpirySeconds, 0, uint.MaxValue),
            KeepAliveSeconds = m.KeepAliveSeconds,
            CaFile = m.CaFile,
            CertFile = string.IsNullOrEmpty(m.CertFile) ? null : m.CertFile,
            KeyFile = string.IsNullOrEmpty(m.KeyFile) ? null : m.KeyFile,
            Alpn = m.Alpn,
            MaxInFlight = m.MaxInFlight,
            MaxPublishesPerSecond = m.MaxPublishesPerSecond,
            MaxBytesPerSecond = m.MaxBytesPerSecond,
            RateLimitGuard = TimeSpan.FromMilliseconds(m.RateLimitGuardMs),
            MaxIncomingPacketBytes = m.MaxIncomingPacketBytes,
        };
    }
}

namespace ShelfAgent.Transport;

/// <summary>What went wrong below TLS, as far as an operator cares.</summary>
public enum MqttTransportFailure
{
    /// <summary>The host name did not resolve.</summary>
    DnsFailure,
    /// <summary>The host answered but nothing listens on the port (TCP RST).</summary>
    ConnectionRefused,
    /// <summary>No route, host down, or packets dropped (firewall).</summary>
    Unreachable,
    /// <summary>Connecting, the TLS handshake, CONNACK or a write took longer than allowed.</summary>
    Timeout,
    /// <summary>The broker closed or reset an established connection.</summary>
    ClosedByBroker,
    /// <summary>The connection went silent for 1.5 × keep-alive (MQTT 3.1.1 §3.1.2.10).</summary>
    KeepAliveTimeout,
    /// <summary>Any other socket or I/O error.</summary>
    Other,
}

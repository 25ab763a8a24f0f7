namespace ShelfAgent.Transport.Tls;

/// <summary>What our server-certificate check found during one handshake, kept so a failed handshake can be explained.</summary>
public sealed class TlsValidationOutcome
{
    /// <summary>The failure found, or null when the server certificate was accepted (or not checked yet).</summary>
    public MqttTlsFailure? Failure { get; set; }

    /// <summary>True once our check accepted the broker's certificate: the handshake got that far.</summary>
    public bool ServerAccepted { get; set; }

    /// <summary>Operator-facing detail (dates, names, CA subject).</summary>
    public string Detail { get; set; } = "";
}

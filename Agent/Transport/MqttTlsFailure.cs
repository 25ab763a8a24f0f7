namespace ShelfAgent.Transport;

/// <summary>Why a TLS handshake failed, as far as an operator cares.</summary>
public enum MqttTlsFailure
{
    /// <summary>The broker's certificate (or one above it) has expired.</summary>
    CertificateExpired,
    /// <summary>The broker's certificate is not valid yet: usually the device clock is wrong (no RTC, no NTP yet).</summary>
    CertificateNotYetValid,
    /// <summary>The broker's certificate does not chain to the trusted CA (Mqtt:CaFile or the Amazon roots).</summary>
    UnknownCa,
    /// <summary>The broker's certificate does not name the host we connected to.</summary>
    HostNameMismatch,
    /// <summary>The broker's certificate (or one above it) was revoked by its CA.</summary>
    ServerCertificateRevoked,
    /// <summary>The broker's certificate chain is invalid for another reason.</summary>
    ServerCertificateInvalid,
    /// <summary>The broker refused our device certificate (unknown CA, revoked, inactive, or none sent).</summary>
    ClientCertificateRejected,
    /// <summary>Our certificate or key file could not be read or does not match.</summary>
    ClientCertificateUnreadable,
    /// <summary>The trusted CA file could not be read.</summary>
    CaFileUnreadable,
    /// <summary>The handshake failed for another reason (protocol version, ALPN, cipher).</summary>
    HandshakeFailed,
}

namespace ShelfAgent.Security;

/// <summary>Where a certificate stands in its lifetime.</summary>
public enum CertificateExpiryState
{
    /// <summary>Valid and under 80% of its lifetime used.</summary>
    Ok,

    /// <summary>80% or more of its lifetime used (issue 14: warn in the log, the shadow and doctor): rotate it.</summary>
    Expiring,

    /// <summary>Past its notAfter: TLS fails.</summary>
    Expired,

    /// <summary>Before its notBefore: usually the clock (a Pi without RTC before NTP).</summary>
    NotYetValid,
}

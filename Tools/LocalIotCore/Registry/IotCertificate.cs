namespace ShelfAgent.LocalIot.Registry;

/// <summary>
/// A certificate the core knows: its id, PEM, subject CN (mosquitto's user name for it), status, the thing it is
/// attached to, its ownership token.
/// </summary>
public sealed class IotCertificate(string id, string pem, string commonName)
{
    public string Id { get; } = id;

    public string Pem { get; } = pem;

    public string CommonName { get; } = commonName;

    public CertificateStatus Status { get; set; } = CertificateStatus.PendingActivation;

    /// <summary>The thing the certificate is attached to (iot:Connection.Thing.IsAttached), if any.</summary>
    public string? Thing { get; set; }

    /// <summary>The certificateOwnershipToken create-from-csr returned, and when it expires.</summary>
    public string? OwnershipToken { get; set; }

    public DateTimeOffset OwnershipTokenExpires { get; set; }
}

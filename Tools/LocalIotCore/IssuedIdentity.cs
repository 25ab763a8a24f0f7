namespace ShelfAgent.LocalIot;

/// <summary>PEM files of an identity issued by the core's CA, and its AWS-style certificate id (SHA-256 of the DER).</summary>
public sealed record IssuedIdentity(string CertFile, string KeyFile, string CertificateId);

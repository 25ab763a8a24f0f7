namespace ShelfAgent.Tests.Integration.AwsIot;

/// <summary>PEM files of an identity issued by the fixture's CA, and its AWS-style certificate id (SHA-256 of the DER).</summary>
public sealed record IssuedIdentity(string CertFile, string KeyFile, string CertificateId);

namespace ShelfAgent.IotCore.Provisioning;

/// <summary>What <c>$aws/certificates/create-from-csr/json/accepted</c> carries.</summary>
/// <param name="CertificateId">AWS's certificate id.</param>
/// <param name="CertificatePem">The signed certificate.</param>
/// <param name="OwnershipToken">Proves to RegisterThing that this device holds the certificate; lives 1 h on AWS.</param>
public sealed record IssuedCertificate(string CertificateId, string CertificatePem, string OwnershipToken);

namespace ShelfAgent.LocalIot.Pki;

/// <summary>
/// Issues client identities into one folder: a certificate and key per identity, named by CN and certificate id (a
/// thing may hold several certificates, and a state folder keeps them all).
/// </summary>
internal sealed class IdentityFiles(string directory, TimeProvider time)
{
    public string Directory => directory;

    public IssuedIdentity Issue(string commonName, CertificateAuthority ca, KeyKind kind = KeyKind.EcP256)
    {
        // Back-dated a day, as the CA: a device whose clock lags still accepts it; the clock is the core's (tests fake it).
        using var issued = ca.IssueClient(commonName, kind, notBefore: time.GetUtcNow().AddDays(-1));
        var id = CsrSigner.CertificateId(issued.Certificate);
        var cert = Path.Combine(directory, $"{commonName}-{id[..12]}.crt");
        var key = Path.Combine(directory, $"{commonName}-{id[..12]}.key");
        issued.WritePem(cert, key);
        return new IssuedIdentity(cert, key, id);
    }
}

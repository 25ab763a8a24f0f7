namespace ShelfAgent.LocalIot.Pki;

/// <summary>Key algorithm of an issued certificate. AWS IoT accepts both (developer guide "X.509 client certificates").</summary>
public enum KeyKind
{
    /// <summary>ECDSA on NIST P-256.</summary>
    EcP256,

    /// <summary>RSA 2048.</summary>
    Rsa2048,
}

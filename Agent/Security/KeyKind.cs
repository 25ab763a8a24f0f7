namespace ShelfAgent.Security;

/// <summary>Key algorithm of a generated certificate. AWS IoT accepts both.</summary>
public enum KeyKind
{
    /// <summary>ECDSA on NIST P-256: small, fast handshakes on a Pi.</summary>
    EcP256,
    /// <summary>RSA 2048: what most existing device fleets use.</summary>
    Rsa2048,
}

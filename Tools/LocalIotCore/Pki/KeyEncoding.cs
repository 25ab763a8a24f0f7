namespace ShelfAgent.LocalIot.Pki;

/// <summary>How a private key is written to PEM.</summary>
public enum KeyEncoding
{
    /// <summary>"PRIVATE KEY" (PKCS#8), for any algorithm. The default.</summary>
    Pkcs8,

    /// <summary>"RSA PRIVATE KEY" (PKCS#1) or "EC PRIVATE KEY" (SEC1), the algorithm-specific form openssl writes by default.</summary>
    Traditional,
}

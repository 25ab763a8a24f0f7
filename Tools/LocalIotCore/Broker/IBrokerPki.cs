namespace ShelfAgent.LocalIot.Broker;

/// <summary>Certificates made elsewhere (e.g. by openssl) for the broker: the CA clients are checked against, and the broker's own pair.</summary>
public interface IBrokerPki
{
    /// <summary>PEM of the CA that signed the clients' certificates (mosquitto's cafile).</summary>
    string CaFile { get; }

    /// <summary>PEM of the broker's certificate.</summary>
    string ServerCert { get; }

    /// <summary>PEM of the broker's private key.</summary>
    string ServerKey { get; }
}

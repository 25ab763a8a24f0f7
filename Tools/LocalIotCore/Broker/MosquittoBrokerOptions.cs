namespace ShelfAgent.LocalIot.Broker;

/// <summary>How to start a <see cref="MosquittoBroker"/>. The defaults suit a test: a temporary folder, a free port.</summary>
public sealed class MosquittoBrokerOptions
{
    /// <summary>
    /// Keep sessions and subscriptions across <see cref="MosquittoBroker.StopAsync"/>/StartAgainAsync (and across processes when
    /// <see cref="Directory"/> is kept).
    /// </summary>
    public bool Persistence { get; init; } = true;

    /// <summary>mosquitto's acl_file (re-read on <see cref="MosquittoBroker.ReloadAsync"/>); null: every client may use every topic.</summary>
    public string? AclFile { get; init; }

    /// <summary>Use certificates made elsewhere (e.g. by openssl) instead of the broker's own CA.</summary>
    public IBrokerPki? ExternalPki { get; init; }

    /// <summary>Extra mosquitto.conf lines, after the broker's own.</summary>
    public IReadOnlyList<string> ExtraLines { get; init; } = [];

    /// <summary>
    /// Where the configuration, log, persistence file and the CA live. Null: a temporary folder removed at dispose.
    /// A given folder is kept, and a CA found there (ca.crt, ca.key) is used again, so certificates it issued stay valid.
    /// </summary>
    public string? Directory { get; init; }

    /// <summary>
    /// The common name of a CA the broker makes (none is made when <see cref="Directory"/> already holds one); null:
    /// "Test CA " and 8 random hex digits. Always a name of its own: .NET caches CRLs by issuer name.
    /// </summary>
    public string? CaName { get; init; }

    /// <summary>The port on 127.0.0.1 to listen on; null: one that is free now.</summary>
    public int? Port { get; init; }
}

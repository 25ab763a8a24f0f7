namespace ShelfAgent.Tests.Integration;

public sealed class MosquittoBrokerOptions
{
    /// <summary>Keep sessions and subscriptions across <see cref="MosquittoBroker.StopAsync"/>/StartAgainAsync.</summary>
    public bool Persistence { get; init; } = true;

    public string? AclFile { get; init; }

    /// <summary>Use certificates made elsewhere (e.g. by openssl) instead of the fixture's own CA.</summary>
    public OpenSslPki? ExternalPki { get; init; }

    public IReadOnlyList<string> ExtraLines { get; init; } = [];
}

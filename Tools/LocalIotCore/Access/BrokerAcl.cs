using System.Text;
using ShelfAgent.LocalIot.Broker;
using ShelfAgent.LocalIot.Registry;

namespace ShelfAgent.LocalIot.Access;

/// <summary>
/// Keeps mosquitto's acl_file in step with the registry and the identities the core issued: rewrites it and
/// reloads the broker (SIGHUP) whenever either changed since the last time.
/// </summary>
internal sealed class BrokerAcl(Func<CancellationToken, Task> reloadBroker, IotRegistry registry, IdentityAccess access, string path) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly Dictionary<string, IdentityKind> _issued = new(StringComparer.Ordinal);
    private long _issuedVersion;
    private long _appliedVersion = -1;

    /// <summary>An identity the core issued itself (the service, a claim certificate), by certificate CN.</summary>
    public void Issued(string commonName, IdentityKind kind)
    {
        lock (_gate)
        {
            _issued[commonName] = kind;
        }

        Interlocked.Increment(ref _issuedVersion);
    }

    /// <summary>Every identity the core issued itself (not things' certificates), by certificate CN: what a state folder keeps.</summary>
    public IReadOnlyDictionary<string, IdentityKind> IssuedIdentities()
    {
        lock (_gate)
        {
            return new Dictionary<string, IdentityKind>(_issued, StringComparer.Ordinal);
        }
    }

    /// <summary>Grows whenever an identity is issued.</summary>
    public long IssuedVersion => Interlocked.Read(ref _issuedVersion);

    /// <summary>The kind of an identity the core issued itself, or null (then it is a thing's certificate).</summary>
    public IdentityKind? KindOf(string? commonName)
    {
        lock (_gate)
        {
            return commonName is not null && _issued.TryGetValue(commonName, out var kind) ? kind : null;
        }
    }

    /// <summary>Rewrites the file when something changed, and (unless the broker is not started yet) reloads it.</summary>
    public async Task ApplyAsync(CancellationToken cancellationToken, bool reload = true)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            var version = registry.Version + Interlocked.Read(ref _issuedVersion);
            if (version == _appliedVersion)
            {
                return;
            }

            var text = MosquittoAcl.Render(Identities().Select(i => (i.CommonName, access.Entries(i))));
            await File.WriteAllTextAsync(path, text, Encoding.ASCII, cancellationToken);
            if (reload)
            {
                await reloadBroker(cancellationToken);
            }
            _appliedVersion = version;
        }
        finally
        {
            _writing.Release();
        }
    }

    public void Dispose() => _writing.Dispose();

    private List<BrokerIdentity> Identities()
    {
        var identities = new List<BrokerIdentity>();
        lock (_gate)
        {
            identities.AddRange(_issued.Select(i => new BrokerIdentity(i.Key, i.Value)));
        }

        foreach (var certificate in registry.Certificates())
        {
            if (certificate is { Status: CertificateStatus.Active, Thing: { } thing } && registry.Thing(thing) is { } registered)
            {
                identities.Add(new BrokerIdentity(certificate.CommonName, IdentityKind.Thing, registered));
            }
        }

        return [.. identities.DistinctBy(i => i.CommonName)];
    }
}

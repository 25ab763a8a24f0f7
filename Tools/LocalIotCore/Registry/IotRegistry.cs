namespace ShelfAgent.LocalIot.Registry;

/// <summary>
/// The core's registry: things with attributes, certificates with status and attachment. Thread-safe: the
/// service loop and the test both change it.
/// </summary>
public sealed class IotRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RegisteredThing> _things = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IotCertificate> _certificates = new(StringComparer.Ordinal);

    private long _version;
    private long _changes;

    /// <summary>Grows on every change of a thing or an attachment: the broker's ACL follows the registry.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Grows on every change at all (a pending certificate too): a state folder is written again when it moved.</summary>
    public long Changes => Interlocked.Read(ref _changes);

    public void PutThing(RegisteredThing thing)
    {
        ArgumentNullException.ThrowIfNull(thing);
        lock (_gate)
        {
            _things[thing.Name] = thing;
        }

        Interlocked.Increment(ref _version);
        Interlocked.Increment(ref _changes);
    }

    public RegisteredThing? Thing(string name)
    {
        lock (_gate)
        {
            return _things.GetValueOrDefault(name);
        }
    }

    public IReadOnlyList<RegisteredThing> Things()
    {
        lock (_gate)
        {
            return [.. _things.Values];
        }
    }

    public void AddCertificate(IotCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        lock (_gate)
        {
            _certificates[certificate.Id] = certificate;
        }

        Interlocked.Increment(ref _changes);
    }

    public IotCertificate? Certificate(string id)
    {
        lock (_gate)
        {
            return _certificates.GetValueOrDefault(id);
        }
    }

    public IReadOnlyList<IotCertificate> Certificates()
    {
        lock (_gate)
        {
            return [.. _certificates.Values];
        }
    }

    public IotCertificate? CertificateByToken(string token)
    {
        lock (_gate)
        {
            return _certificates.Values.FirstOrDefault(c => c.OwnershipToken == token);
        }
    }

    /// <summary>Activates the certificate and attaches it to the thing (what a template's certificate resource does).</summary>
    public void Attach(string certificateId, string thing)
    {
        lock (_gate)
        {
            var certificate = _certificates[certificateId];
            certificate.Thing = thing;
            certificate.Status = CertificateStatus.Active;
            certificate.OwnershipToken = null;
        }

        Interlocked.Increment(ref _version);
        Interlocked.Increment(ref _changes);
    }

    /// <summary>Whether an active certificate is attached to the thing (the policy's iot:Connection.Thing.IsAttached).</summary>
    public bool IsAttached(string thing)
    {
        lock (_gate)
        {
            return _certificates.Values.Any(c => c.Thing == thing && c.Status == CertificateStatus.Active);
        }
    }
}

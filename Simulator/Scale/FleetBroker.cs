using ShelfAgent.LocalIot;
using ShelfAgent.LocalIot.Broker;
using ShelfAgent.LocalIot.Registry;

namespace ShelfAgent.Simulator.Scale;

/// <summary>
/// The broker a run loads: one already running (<see cref="BrokerMode.External"/>), or one the simulator starts with
/// LocalIotCore's launcher — a plain mosquitto with a per-thing ACL, or the whole local AWS IoT Core — in a folder under
/// --work-dir that is kept, so its CA (and the device certificates it signed) stays valid for the next run.
/// </summary>
public sealed class FleetBroker : IAsyncDisposable
{
    /// <summary>
    /// Each device may use its own telemetry and AWS topics only (mosquitto's %u is the certificate's CN), its telemetry
    /// through Basic Ingest too (<c>$aws/rules/{rule}/dt/shelf/{store}/{thing}/telemetry</c>, the agent's default).
    /// </summary>
    public static readonly IReadOnlyList<string> PerThingAcl =
    [
        "pattern readwrite dt/shelf/+/%u/#",
        "pattern readwrite $aws/things/%u/#",
        "pattern write $aws/rules/+/dt/shelf/+/%u/telemetry",
    ];

    private FleetBroker(string host, int port, string caCert, string caKey, MosquittoBroker? broker, LocalIotCore? core)
    {
        Host = host;
        Port = port;
        CaCertFile = caCert;
        CaKeyFile = caKey;
        Broker = broker;
        Core = core;
    }

    public string Host { get; }

    public int Port { get; }

    public string CaCertFile { get; }

    public string CaKeyFile { get; }

    /// <summary>The broker this run started (restartable for outages), or null for an external one.</summary>
    public MosquittoBroker? Broker { get; }

    /// <summary>The local AWS IoT Core, when the run started one.</summary>
    public LocalIotCore? Core { get; }

    /// <summary>A local IoT Core someone else started (a test's): the fleet registers its things there; it is not disposed here.</summary>
    public static FleetBroker On(LocalIotCore core)
    {
        ArgumentNullException.ThrowIfNull(core);
        return new FleetBroker(core.Host, core.Port, core.CaFile, Path.Combine(core.Broker.Directory, "ca.key"), core.Broker, core) { _owned = false };
    }

    /// <summary>A mosquitto someone else started (a test's): restartable for outages; it is not disposed here.</summary>
    public static FleetBroker On(MosquittoBroker broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        return new FleetBroker(broker.Host, broker.Port, broker.CaFile, Path.Combine(broker.Directory, "ca.key"), broker, null) { _owned = false };
    }

    private bool _owned = true;

    public static async Task<FleetBroker> StartAsync(FleetOptions fleet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        switch (fleet.Broker)
        {
            case BrokerMode.Mosquitto:
                {
                    var dir = Path.GetFullPath(Path.Combine(fleet.WorkDirectory, "broker"));
                    Directory.CreateDirectory(dir);
                    var acl = Path.Combine(dir, "fleet.acl");
                    await File.WriteAllLinesAsync(acl, PerThingAcl, cancellationToken).ConfigureAwait(false);
                    var broker = await MosquittoBroker.StartAsync(
                        new MosquittoBrokerOptions { Directory = dir, AclFile = acl, Persistence = true, Port = fleet.Port == 0 ? null : fleet.Port },
                        cancellationToken).ConfigureAwait(false);
                    return new FleetBroker(broker.Host, broker.Port, broker.CaFile, Path.Combine(broker.Directory, "ca.key"), broker, null);
                }

            case BrokerMode.LocalIotCore:
                {
                    var dir = Path.GetFullPath(Path.Combine(fleet.WorkDirectory, "iot-core"));
                    var core = await LocalIotCore.StartAsync(
                        new LocalIotCoreOptions { StateDirectory = dir, Port = fleet.Port == 0 ? null : fleet.Port }, cancellationToken).ConfigureAwait(false);
                    return new FleetBroker(core.Host, core.Port, core.CaFile, Path.Combine(core.Broker.Directory, "ca.key"), core.Broker, core);
                }

            default:
                return new FleetBroker(
                    fleet.Host, fleet.Port, Path.Combine(fleet.CertsDirectory, "ca.crt"), Path.Combine(fleet.CertsDirectory, "ca.key"), null, null);
        }
    }

    /// <summary>
    /// On the local IoT Core: registers the things and attaches their (kept or new) certificates with one ACL write and
    /// one broker reload for the whole fleet.
    /// </summary>
    public async Task RegisterAsync(IReadOnlyList<(string Thing, string StoreId, string CertFile)> devices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(devices);
        if (Core is null)
        {
            return;
        }

        var things = devices.Select(d => new RegisteredThing(d.Thing, new Dictionary<string, string> { ["storeId"] = d.StoreId })).ToList();
        foreach (var thing in things)
        {
            Core.Registry.PutThing(thing);
        }

        foreach (var (thing, _, certFile) in devices)
        {
            var pem = await File.ReadAllTextAsync(certFile, cancellationToken).ConfigureAwait(false);
            using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem);
            var id = ShelfAgent.LocalIot.Pki.CsrSigner.CertificateId(certificate);
            Core.Registry.AddCertificate(new ShelfAgent.LocalIot.Registry.IotCertificate(id, pem, thing));
            Core.Registry.Attach(id, thing);
        }

        // Registering again changes nothing but commits: the ACL is written and mosquitto reloaded once.
        await Core.RegisterThingsAsync(things, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the broker (an outage); false when it is not ours to stop.</summary>
    public async Task<bool> StopAsync(CancellationToken cancellationToken)
    {
        if (Core is not null)
        {
            await Core.StopBrokerAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }

        if (Broker is null)
        {
            return false;
        }

        await Broker.StopAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Ends the outage: the broker on the same port again (and the local IoT Core's service connected again).</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken)
    {
        if (Core is not null)
        {
            await Core.StartBrokerAgainAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (Broker is not null)
        {
            await Broker.StartAgainAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>True while our broker is stopped.</summary>
    public bool IsDown => Broker is { IsRunning: false };

    public async ValueTask DisposeAsync()
    {
        if (!_owned)
        {
            return;
        }

        if (Core is not null)
        {
            await Core.DisposeAsync().ConfigureAwait(false);
        }
        else if (Broker is not null)
        {
            await Broker.DisposeAsync().ConfigureAwait(false);
        }
    }
}

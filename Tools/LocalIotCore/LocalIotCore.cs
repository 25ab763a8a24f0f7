using System.Text.Json.Nodes;
using ShelfAgent.LocalIot.Access;
using ShelfAgent.LocalIot.Broker;
using ShelfAgent.LocalIot.Control;
using ShelfAgent.LocalIot.Jobs;
using ShelfAgent.LocalIot.Pki;
using ShelfAgent.LocalIot.Policy;
using ShelfAgent.LocalIot.Provisioning;
using ShelfAgent.LocalIot.Registry;
using ShelfAgent.LocalIot.Shadow;
using ShelfAgent.LocalIot.State;

namespace ShelfAgent.LocalIot;

/// <summary>
/// A local AWS IoT Core: a real mosquitto with mutual TLS on 127.0.0.1 whose CA issues real certificates, and a
/// service client (a privileged certificate) that answers the documented MQTT APIs — fleet provisioning, the classic
/// shadow, jobs — written from the AWS developer guide, plus the control topics a second process uses to play the
/// cloud side. The broker's ACL follows the registry: each certificate may do what its identity's policy allows
/// (README.md in this folder). Tests start one per test in a temporary folder; <c>local-iot-core start</c> runs one
/// on a state folder that keeps everything across restarts.
/// </summary>
public sealed class LocalIotCore : IAsyncDisposable
{
    /// <summary>The service client's certificate CN and client id.</summary>
    public const string ServiceIdentity = "iot-service";

    private readonly WorkDirectory _dir;
    private readonly LocalIotCoreOptions _options;
    private readonly Lock _gate = new();
    private readonly List<Exception> _faults = [];
    private readonly CertificateAuthority _untrusted = CertificateAuthority.Create("Untrusted CA " + Guid.NewGuid().ToString("N")[..8]);
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _committing = new(1, 1);
    private readonly IdentityAccess _access;
    private readonly CoreStateFiles? _state;
    private readonly IdentityFiles _identities;
    private MosquittoBroker _broker = null!;
    private OperationRecord _record = null!;
    private MqttTestClient _service = null!;
    private IssuedIdentity _serviceIdentity = null!;
    private IotServiceLoop _serviceLoop = null!;
    private ControlApi _control = null!;
    private readonly List<Task> _endedLoops = [];
    private Task _loop = Task.CompletedTask;
    private Task _enforcement = Task.CompletedTask;
    private PolicyEnforcer? _enforcer;
    private BrokerAcl _acl = null!;
    private int _counter;

    private LocalIotCore(WorkDirectory dir, LocalIotCoreOptions options)
    {
        _dir = dir;
        _options = options;
        Registry = new IotRegistry();
        Provisioning = new FleetProvisioningApi(Registry, Signer, options.Time, options.OwnershipTokenLifetime)
        {
            CsrRefusal = options.CsrRefusal,
        };
        Shadows = new ShadowApi(options.Time);
        Jobs = new JobsApi(options.Time);
        DevicePolicy = options.ParseDevicePolicy();
        ClaimPolicy = options.ParseClaimPolicy();
        _access = new IdentityAccess(DevicePolicy, ClaimPolicy, LocalIotCoreOptions.ArnPrefix);
        _state = options.StateDirectory is null ? null : new CoreStateFiles(dir.Path);
        _identities = new IdentityFiles(dir.File("certs"), options.Time);
        System.IO.Directory.CreateDirectory(_identities.Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public LocalIotCoreOptions Options => _options;

    /// <summary>The device policies the broker enforces, together (rendered with <see cref="LocalIotCoreOptions.ArnPrefix"/>).</summary>
    public IotPolicy DevicePolicy { get; }

    /// <summary>The claim certificate's policy.</summary>
    public IotPolicy ClaimPolicy { get; }

    public string Host => _broker.Host;

    public int Port => _broker.Port;

    /// <summary>PEM of the CA devices must trust (it also signs every device certificate).</summary>
    public string CaFile => _broker.CaFile;

    public MosquittoBroker Broker => _broker;

    public IotRegistry Registry { get; }

    public FleetProvisioningApi Provisioning { get; }

    public ShadowApi Shadows { get; }

    public JobsApi Jobs { get; }

    /// <summary>The folder of the core's own files: the state folder, or a temporary one.</summary>
    public string Directory => _dir.Path;

    /// <summary>Where issued certificates and keys are written.</summary>
    public string CertificatesDirectory => _identities.Directory;

    /// <summary>
    /// When set, certificates issued from now on (create-from-csr, <see cref="IssueThingCertificateAsync"/>, the control
    /// topics) are signed by a CA the broker does not trust, so the TLS handshake refuses them ("rotation with the new
    /// certificate refused").
    /// </summary>
    public bool RefuseNewCertificates { get; set; }

    /// <summary>Exceptions the service loop caught while answering (a test can assert there are none).</summary>
    public IReadOnlyList<Exception> Faults
    {
        get
        {
            lock (_gate)
            {
                return [.. _faults];
            }
        }
    }

    /// <summary>
    /// Starts mosquitto and the service. With <see cref="LocalIotCoreOptions.StateDirectory"/>, what an earlier run kept
    /// there (CA, things, certificates, shadows, jobs, broker sessions) is loaded first.
    /// </summary>
    public static async Task<LocalIotCore> StartAsync(LocalIotCoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new();
        var core = new LocalIotCore(WorkDirectory.Open(options.StateDirectory, "iotcore"), options);
        try
        {
            await core.StartCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await core.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return core;
    }

    /// <summary>A claim certificate (CN claim-…): it may only use the fleet provisioning topics.</summary>
    public async Task<IssuedIdentity> IssueClaimCertificateAsync(CancellationToken cancellationToken = default)
    {
        var name = $"claim-{Interlocked.Increment(ref _counter)}";
        var identity = Issue(name, _broker.CertificateAuthority);
        _acl.Issued(name, IdentityKind.Claim);
        await CommitAsync(cancellationToken).ConfigureAwait(false);
        return identity;
    }

    /// <summary>An observer's certificate (CN <paramref name="name"/>): it may subscribe to and receive every device topic, publish nothing.</summary>
    public async Task<IssuedIdentity> IssueObserverCertificateAsync(string name, CancellationToken cancellationToken = default)
    {
        var identity = Issue(name, _broker.CertificateAuthority);
        _acl.Issued(name, IdentityKind.Observer);
        await CommitAsync(cancellationToken).ConfigureAwait(false);
        return identity;
    }

    /// <summary>Creates (or updates) a thing with attributes, e.g. storeId; the broker's ACL follows.</summary>
    public Task RegisterThingAsync(string thingName, IReadOnlyDictionary<string, string>? attributes = null, CancellationToken cancellationToken = default) =>
        RegisterThingsAsync([new RegisteredThing(thingName, attributes ?? new Dictionary<string, string>())], cancellationToken);

    /// <summary>Creates (or updates) many things at once: the ACL is written and the broker reloaded once, not per thing.</summary>
    public async Task RegisterThingsAsync(IEnumerable<RegisteredThing> things, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(things);
        foreach (var thing in things)
        {
            Registry.PutThing(thing);
        }

        await CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A certificate with CN = thing name, active and attached to the (registered) thing.</summary>
    public async Task<IssuedIdentity> IssueThingCertificateAsync(string thingName, CancellationToken cancellationToken = default) =>
        (await IssueThingCertificatesAsync([thingName], KeyKind.EcP256, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>
    /// Certificates for many registered things at once (CN = thing name, active, attached), in order, with one ACL
    /// write and broker reload for all of them; files under <see cref="CertificatesDirectory"/>.
    /// </summary>
    public async Task<IReadOnlyList<IssuedIdentity>> IssueThingCertificatesAsync(
        IEnumerable<string> thingNames, KeyKind kind = KeyKind.EcP256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(thingNames);
        var identities = new List<IssuedIdentity>();
        foreach (var thingName in thingNames)
        {
            if (Registry.Thing(thingName) is null)
            {
                throw new InvalidOperationException($"register {thingName} first");
            }

            var identity = Issue(thingName, RefuseNewCertificates ? _untrusted : _broker.CertificateAuthority, kind);
            Registry.AddCertificate(new IotCertificate(
                identity.CertificateId, await File.ReadAllTextAsync(identity.CertFile, cancellationToken).ConfigureAwait(false), thingName));
            Registry.Attach(identity.CertificateId, thingName);
            identities.Add(identity);
        }

        await CommitAsync(cancellationToken).ConfigureAwait(false);
        return identities;
    }

    /// <summary>
    /// Attaches a certificate made earlier (signed by this core's CA, e.g. kept on disk from an earlier run) to a
    /// registered thing, active: a fleet that caches its certificates need not have them issued again.
    /// </summary>
    public async Task<string> AttachCertificateAsync(string thingName, string certificatePem, CancellationToken cancellationToken = default)
    {
        if (Registry.Thing(thingName) is null)
        {
            throw new InvalidOperationException($"register {thingName} first");
        }

        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(certificatePem);
        var id = CsrSigner.CertificateId(certificate);
        Registry.AddCertificate(new IotCertificate(
            id, certificatePem, certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false)));
        Registry.Attach(id, thingName);
        await CommitAsync(cancellationToken).ConfigureAwait(false);
        return id;
    }

    public void AddProvisioningTemplate(ProvisioningTemplate template) => Provisioning.AddTemplate(template);

    /// <summary>The thing's classic shadow as get/accepted would show it (state with delta, metadata, version), or null.</summary>
    public JsonObject? Shadow(string thing) => Shadows.Document(thing);

    /// <summary>Sets desired state as the cloud would (UpdateThingShadow); the device gets …/update/delta and /documents.</summary>
    public Task UpdateDesiredAsync(string thing, JsonObject desired, CancellationToken cancellationToken = default) =>
        PublishAsync(Shadows.UpdateFromService(thing, new JsonObject { ["state"] = new JsonObject { ["desired"] = desired } }), cancellationToken);

    /// <summary>Queues a job execution for the thing; notify and notify-next go out when the pending list changes.</summary>
    public Task CreateJobAsync(string thing, string jobId, JsonObject document, CancellationToken cancellationToken = default) =>
        PublishAsync(Jobs.CreateJob(thing, jobId, document), cancellationToken);

    /// <summary>Cancels a job execution from the cloud side.</summary>
    public Task CancelJobAsync(string thing, string jobId, CancellationToken cancellationToken = default) =>
        PublishAsync(Jobs.CancelJob(thing, jobId), cancellationToken);

    /// <summary>The job execution's status, statusDetails, version and status history, or null.</summary>
    public JobExecution? JobExecution(string thing, string jobId) => Jobs.Snapshot(thing, jobId);

    /// <summary>Every MQTT operation of every client but the service's own connections, from the broker's log, in order.</summary>
    public IReadOnlyList<MqttOperation> Operations() => _record.Operations();

    /// <summary>CONNECTs and retained publishes (wills too) the policies refused, for which the client was disconnected.</summary>
    public IReadOnlyList<ContractViolation> Refusals => _enforcer?.Refusals ?? [];

    /// <summary>The policy of the identity that did <paramref name="operation"/> (by certificate CN), or null for the service and observers.</summary>
    public IotPolicy? PolicyOf(MqttOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return _record.PolicyOf(operation);
    }

    /// <summary>Waits (bounded) until the broker's log shows operations that satisfy <paramref name="done"/>; false at the bound.</summary>
    public Task<bool> WaitForOperationsAsync(Func<IReadOnlyList<MqttOperation>, bool> done, TimeSpan bound, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(done);
        return _record.WaitAsync(done, bound, cancellationToken);
    }

    /// <summary>
    /// What AWS IoT would know about the connection that did <paramref name="operation"/>: its client id and the thing
    /// its certificate (by CN, the broker's user name) is attached to.
    /// </summary>
    public ConnectionContext ConnectionOf(MqttOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return _record.ConnectionOf(operation);
    }

    /// <summary>A raw MQTT 5 client with the identity, for tests that make the documented calls by hand.</summary>
    public Task<MqttTestClient> ConnectAsync(IssuedIdentity identity, string clientId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return MqttTestClient.ConnectAsync(Host, Port, CaFile, identity.CertFile, identity.KeyFile, clientId, cancellationToken);
    }

    /// <summary>Where a second process reaches this core and with which identity (the service's): what <c>endpoint.json</c> says.</summary>
    public CoreEndpoint Endpoint() => new(Host, Port, CaFile, _serviceIdentity.CertFile, _serviceIdentity.KeyFile, Environment.ProcessId);

    /// <summary>
    /// An outage, as a fleet rehearsal makes one: the broker stops (SIGTERM: sessions saved) and every device loses its
    /// connection; <see cref="StartBrokerAgainAsync"/> ends it.
    /// </summary>
    public Task StopBrokerAsync(CancellationToken cancellationToken = default) => _broker.StopAsync(cancellationToken);

    /// <summary>Starts the broker again on the same port and connects the service again, so the APIs answer as before the outage.</summary>
    public async Task StartBrokerAgainAsync(CancellationToken cancellationToken = default)
    {
        await _broker.StartAgainAsync(cancellationToken).ConfigureAwait(false);
        var old = _service;
        _endedLoops.Add(_loop);
        _service = await MqttTestClient.ConnectAsync(
            Host, Port, CaFile, _serviceIdentity.CertFile, _serviceIdentity.KeyFile, ServiceIdentity, cancellationToken).ConfigureAwait(false);
        await StartServiceLoopAsync(cancellationToken).ConfigureAwait(false);
        await old.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops the service, then mosquitto; a temporary folder is removed, a state folder kept (its endpoint.json removed).</summary>
    public async ValueTask DisposeAsync()
    {
        _state?.Unpublish();
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var task in new[] { _loop, _enforcement }.Concat(_endedLoops))
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        if (_service is not null)
        {
            await _service.DisposeAsync().ConfigureAwait(false);
        }

        if (_broker is not null)
        {
            await _broker.DisposeAsync().ConfigureAwait(false);
        }

        _untrusted.Dispose();
        _stop.Dispose();
        _committing.Dispose();
        _acl?.Dispose();
        _state?.Dispose();
        _dir.Dispose();
    }

    /// <summary>Reports a line to <see cref="LocalIotCoreOptions.Log"/> (a person watching the core), if anyone listens.</summary>
    internal void Report(string line) => _options.Log?.Invoke(line);

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        _state?.Lock();
        var acl = _dir.File("acl");
        var brokerDirectory = _dir.File("broker");
        var brokerLog = Path.Combine(brokerDirectory, "mosquitto.log");
        if (File.Exists(brokerLog))
        {
            // The operation record (and the policy enforcer) starts with this run; the last run's log stays beside it.
            File.Move(brokerLog, brokerLog + ".1", overwrite: true);
        }

        _acl = new BrokerAcl(ct => _broker.ReloadAsync(ct), Registry, _access, acl);
        _state?.Load(Registry, _acl, Shadows, Jobs);
        _counter = _acl.IssuedIdentities().Count;
        _acl.Issued(ServiceIdentity, IdentityKind.Service);
        // Written before the start, not reloaded: a SIGHUP that comes before mosquitto has set up its signal handlers
        // would end it (the default action of SIGHUP).
        await _acl.ApplyAsync(cancellationToken, reload: false).ConfigureAwait(false);
        _broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions
        {
            // A state folder keeps the broker's sessions too, so a device's persistent session survives a restart.
            Persistence = _state is not null,
            AclFile = acl,
            Directory = brokerDirectory,
            Port = _options.Port,
            CaName = _state is null ? null : "local-iot-core CA " + Guid.NewGuid().ToString("N")[..8],
            // Debug lines carry every CONNECT (client id, will), PUBLISH (topic, retain), SUBSCRIBE and delivery:
            // the record the policy contract test evaluates (MosquittoLog).
            ExtraLines = ["log_type debug", .. _options.ExtraBrokerLines],
        }, cancellationToken).ConfigureAwait(false);
        _record = new OperationRecord(new MosquittoLogFollower(_broker.LogFile), Registry, _acl, DevicePolicy, ClaimPolicy);
        _serviceIdentity = Issue(ServiceIdentity, _broker.CertificateAuthority);
        _service = await MqttTestClient.ConnectAsync(
            Host, Port, CaFile, _serviceIdentity.CertFile, _serviceIdentity.KeyFile, ServiceIdentity, cancellationToken).ConfigureAwait(false);
        _control = new ControlApi(Registry, Shadows, Jobs, Signer, (name, kind) => _acl.Issued(name, kind), _options.Time);
        await StartServiceLoopAsync(cancellationToken).ConfigureAwait(false);
        _enforcer = new PolicyEnforcer(this, _serviceIdentity);
        _enforcement = Task.Run(() => _enforcer.RunAsync(Fault, _stop.Token), CancellationToken.None);
        await CommitAsync(cancellationToken).ConfigureAwait(false);
        _state?.Publish(Endpoint());
    }

    // A thing registered or a certificate attached: the broker must allow it, and the state folder hold it, before
    // anyone hears "accepted".
    private async Task StartServiceLoopAsync(CancellationToken cancellationToken)
    {
        _serviceLoop = new IotServiceLoop(_service, Provisioning, Shadows, Jobs, _control, CommitAsync, Fault, _options.Log, _options.BasicIngestRule);
        await _serviceLoop.SubscribeAsync(cancellationToken).ConfigureAwait(false);
        _loop = Task.Run(() => _serviceLoop.RunAsync(_stop.Token), CancellationToken.None);
    }

    private CertificateAuthority Signer() => RefuseNewCertificates ? _untrusted : _broker.CertificateAuthority;

    private IssuedIdentity Issue(string commonName, CertificateAuthority ca, KeyKind kind = KeyKind.EcP256) => _identities.Issue(commonName, ca, kind);

    /// <summary>Brings the ACL (written, broker reloaded) and the state folder up to date with the registry and the APIs.</summary>
    private async Task CommitAsync(CancellationToken cancellationToken)
    {
        await _committing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _acl.ApplyAsync(cancellationToken).ConfigureAwait(false);
            _state?.Save(Registry, _acl, Shadows, Jobs);
        }
        finally
        {
            _committing.Release();
        }
    }

    private async Task PublishAsync(IReadOnlyList<IotReply> replies, CancellationToken cancellationToken)
    {
        await CommitAsync(cancellationToken).ConfigureAwait(false);
        await _serviceLoop.PublishAsync(replies, cancellationToken).ConfigureAwait(false);
    }

    private void Fault(Exception e)
    {
        Report($"fault: {e.GetType().Name}: {e.Message}");
        lock (_gate)
        {
            _faults.Add(e);
        }
    }
}

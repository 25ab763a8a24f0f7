using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using ShelfAgent.Security;
using ShelfAgent.Tests.Integration.AwsIot.Policy;

namespace ShelfAgent.Tests.Integration.AwsIot;

/// <summary>
/// A local AWS IoT Core to test against (issue 14): a real mosquitto with mutual TLS on 127.0.0.1 whose CA issues
/// real certificates, and a service client (a privileged certificate) that answers the documented MQTT APIs —
/// fleet provisioning, the classic shadow, jobs — written from the AWS developer guide. The broker's ACL follows
/// the registry: each certificate may do what its identity's rules allow (see README.md in this folder).
/// </summary>
public sealed class LocalIotCore : IAsyncDisposable
{
    /// <summary>The service client's certificate CN and client id.</summary>
    public const string ServiceIdentity = "iot-service";

    private readonly TempDirectory _dir;
    private readonly LocalIotCoreOptions _options;
    private readonly Lock _gate = new();
    private readonly List<Exception> _faults = [];
    private readonly DevCertificateAuthority _untrusted = DevCertificateAuthority.Create("Untrusted CA " + Guid.NewGuid().ToString("N")[..8]);
    private readonly CancellationTokenSource _stop = new();
    private readonly IdentityAccess _access;
    private MosquittoBroker _broker = null!;
    private MqttTestClient _service = null!;
    private IotServiceLoop _serviceLoop = null!;
    private Task _loop = Task.CompletedTask;
    private Task _enforcement = Task.CompletedTask;
    private PolicyEnforcer? _enforcer;
    private BrokerAcl _acl = null!;
    private int _counter;

    private LocalIotCore(TempDirectory dir, LocalIotCoreOptions options)
    {
        _dir = dir;
        _options = options;
        Registry = new IotRegistry();
        Provisioning = new FleetProvisioningApi(Registry, () => RefuseNewCertificates ? _untrusted : _broker.CertificateAuthority,
            options.Time, options.OwnershipTokenLifetime)
        {
            CsrRefusal = options.CsrRefusal,
        };
        Shadows = new ShadowApi(options.Time);
        Jobs = new JobsApi(options.Time);
        DevicePolicy = options.ParseDevicePolicy();
        ClaimPolicy = options.ParseClaimPolicy();
        _access = new IdentityAccess(DevicePolicy, ClaimPolicy, LocalIotCoreOptions.ArnPrefix);
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

    /// <summary>
    /// When set, certificates issued from now on (create-from-csr, <see cref="IssueThingCertificateAsync"/>) are signed
    /// by a CA the broker does not trust, so the TLS handshake refuses them ("rotation with the new certificate refused").
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

    public static async Task<LocalIotCore> StartAsync(LocalIotCoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        var core = new LocalIotCore(new TempDirectory("iotcore"), options ?? new());
        await core.StartCoreAsync(cancellationToken);
        return core;
    }

    /// <summary>A claim certificate (CN claim-…): it may only use the fleet provisioning topics.</summary>
    public async Task<IssuedIdentity> IssueClaimCertificateAsync(CancellationToken cancellationToken = default)
    {
        var name = $"claim-{Interlocked.Increment(ref _counter)}";
        var identity = Issue(name, _broker.CertificateAuthority);
        _acl.Issued(name, IdentityKind.Claim);
        await ApplyAclAsync(cancellationToken);
        return identity;
    }

    /// <summary>Creates (or updates) a thing with attributes, e.g. storeId; the broker's ACL follows.</summary>
    public async Task RegisterThingAsync(string thingName, IReadOnlyDictionary<string, string>? attributes = null, CancellationToken cancellationToken = default)
    {
        Registry.PutThing(new RegisteredThing(thingName, attributes ?? new Dictionary<string, string>()));
        await ApplyAclAsync(cancellationToken);
    }

    /// <summary>A certificate with CN = thing name, active and attached to the (registered) thing.</summary>
    public async Task<IssuedIdentity> IssueThingCertificateAsync(string thingName, CancellationToken cancellationToken = default)
    {
        if (Registry.Thing(thingName) is null)
        {
            throw new InvalidOperationException($"register {thingName} first");
        }

        var identity = Issue(thingName, RefuseNewCertificates ? _untrusted : _broker.CertificateAuthority);
        Registry.AddCertificate(new IotCertificate(identity.CertificateId, File.ReadAllText(identity.CertFile), thingName));
        Registry.Attach(identity.CertificateId, thingName);
        await ApplyAclAsync(cancellationToken);
        return identity;
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
    public IReadOnlyList<MqttOperation> Operations() =>
        [.. MosquittoLog.Parse(_broker.ReadLog().Split('\n')).Where(o => o.Username != ServiceIdentity)];

    /// <summary>CONNECTs and retained publishes (wills too) the policies refused, for which the client was disconnected.</summary>
    public IReadOnlyList<ContractViolation> Refusals => _enforcer?.Refusals ?? [];

    /// <summary>The policy of the identity that did <paramref name="operation"/> (by certificate CN), or null for the service.</summary>
    public IotPolicy? PolicyOf(MqttOperation operation)
    {
        return _acl.KindOf(operation.Username) switch
        {
            IdentityKind.Claim => ClaimPolicy,
            IdentityKind.Service => null,
            _ => DevicePolicy,
        };
    }

    /// <summary>Waits (bounded) until the broker's log shows operations that satisfy <paramref name="done"/>; false at the bound.</summary>
    public async Task<bool> WaitForOperationsAsync(Func<IReadOnlyList<MqttOperation>, bool> done, TimeSpan bound, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(bound);
        try
        {
            while (!done(Operations()))
            {
                await Task.Delay(100, cts.Token);
            }

            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// What AWS IoT would know about the connection that did <paramref name="operation"/>: its client id and the thing
    /// its certificate (by CN, the broker's user name) is attached to.
    /// </summary>
    public ConnectionContext ConnectionOf(MqttOperation operation)
    {
        var certificate = Registry.Certificates().LastOrDefault(c => c.CommonName == operation.Username && c.Status == CertificateStatus.Active);
        var thing = certificate?.Thing is { } name ? Registry.Thing(name) : null;
        return new ConnectionContext(operation.ClientId, thing?.Name, thing?.Attributes ?? new Dictionary<string, string>(), thing is not null);
    }

    /// <summary>A raw MQTT 5 client with the identity, for tests that make the documented calls by hand.</summary>
    public Task<MqttTestClient> ConnectAsync(IssuedIdentity identity, string clientId, CancellationToken cancellationToken = default) =>
        MqttTestClient.ConnectAsync(Host, Port, CaFile, identity.CertFile, identity.KeyFile, clientId, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var task in new[] { _loop, _enforcement })
        {
            try
            {
                await task;
            }
            catch (OperationCanceledException)
            {
            }
        }

        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        _untrusted.Dispose();
        _stop.Dispose();
        _acl?.Dispose();
        _dir.Dispose();
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var acl = _dir.File("acl");
        _acl = new BrokerAcl(ct => _broker.ReloadAsync(ct), Registry, _access, acl);
        _acl.Issued(ServiceIdentity, IdentityKind.Service);
        // Written before the start, not reloaded: a SIGHUP that comes before mosquitto has set up its signal handlers
        // would end it (the default action of SIGHUP).
        await _acl.ApplyAsync(cancellationToken, reload: false);
        _broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions
        {
            Persistence = false,
            AclFile = acl,
            // Debug lines carry every CONNECT (client id, will), PUBLISH (topic, retain), SUBSCRIBE and delivery:
            // the record the policy contract test evaluates (MosquittoLog).
            ExtraLines = ["log_type debug", .. _options.ExtraBrokerLines],
        });
        var service = Issue(ServiceIdentity, _broker.CertificateAuthority);
        _service = await MqttTestClient.ConnectAsync(Host, Port, CaFile, service.CertFile, service.KeyFile, ServiceIdentity, cancellationToken);
        // A thing registered or a certificate attached: the broker must allow it before the device hears "accepted".
        _serviceLoop = new IotServiceLoop(_service, Provisioning, Shadows, Jobs, ApplyAclAsync, Fault);
        await _serviceLoop.SubscribeAsync(cancellationToken);
        _loop = Task.Run(() => _serviceLoop.RunAsync(_stop.Token), CancellationToken.None);
        _enforcer = new PolicyEnforcer(this, service);
        _enforcement = Task.Run(() => EnforceAsync(_stop.Token), CancellationToken.None);
    }

    private IssuedIdentity Issue(string commonName, DevCertificateAuthority ca)
    {
        using var issued = ca.IssueClient(commonName, KeyKind.EcP256, notBefore: _options.Time.GetUtcNow().AddDays(-1));
        var n = Interlocked.Increment(ref _counter);
        var cert = _dir.File($"{commonName}-{n}.crt");
        var key = _dir.File($"{commonName}-{n}.key");
        issued.WritePem(cert, key);
        return new IssuedIdentity(cert, key, CsrSigner.CertificateId(issued.Certificate));
    }

    /// <summary>Follows the broker's log for what the ACL cannot refuse (iot:Connect, iot:RetainPublish).</summary>
    private async Task EnforceAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _enforcer!.CheckAsync(cancellationToken);
                await Task.Delay(50, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Fault(e);
            }
        }
    }

    /// <summary>Rewrites the ACL and reloads mosquitto when the registry or the issued identities changed.</summary>
    private Task ApplyAclAsync(CancellationToken cancellationToken) => _acl.ApplyAsync(cancellationToken);

    private Task PublishAsync(IReadOnlyList<IotReply> replies, CancellationToken cancellationToken) => _serviceLoop.PublishAsync(replies, cancellationToken);

    private void Fault(Exception e)
    {
        lock (_gate)
        {
            _faults.Add(e);
        }
    }
}

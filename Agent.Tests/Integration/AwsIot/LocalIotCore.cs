using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using MQTTnet;
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

    private static readonly string[] ServiceFilters =
    [
        FleetProvisioningApi.CreateFromCsrTopic,
        "$aws/provisioning-templates/+/provision/json",
        "$aws/things/+/shadow/get",
        "$aws/things/+/shadow/update",
        "$aws/things/+/shadow/delete",
        "$aws/things/+/jobs/get",
        "$aws/things/+/jobs/start-next",
        "$aws/things/+/jobs/+/get",
        "$aws/things/+/jobs/+/update",
    ];

    private readonly TempDirectory _dir;
    private readonly LocalIotCoreOptions _options;
    private readonly Dictionary<string, IdentityKind> _issued = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _aclLock = new(1, 1);
    private readonly List<Exception> _faults = [];
    private readonly DevCertificateAuthority _untrusted = DevCertificateAuthority.Create("Untrusted CA " + Guid.NewGuid().ToString("N")[..8]);
    private readonly CancellationTokenSource _stop = new();
    private readonly IdentityAccess _access;
    private MosquittoBroker _broker = null!;
    private MqttTestClient _service = null!;
    private Task _loop = Task.CompletedTask;
    private long _aclVersion = -1;
    private long _localVersion;
    private int _counter;

    private LocalIotCore(TempDirectory dir, LocalIotCoreOptions options)
    {
        _dir = dir;
        _options = options;
        Registry = new IotRegistry();
        Provisioning = new FleetProvisioningApi(Registry, () => RefuseNewCertificates ? _untrusted : _broker.CertificateAuthority,
            options.Time, options.OwnershipTokenLifetime);
        Shadows = new ShadowApi(options.Time);
        Jobs = new JobsApi(options.Time);
        DevicePolicy = IotPolicy.Combine([.. options.EffectiveDevicePolicies.Select(p => IotPolicy.Parse(p.Json, p.Name))]);
        ClaimPolicy = IotPolicy.Parse(options.EffectiveClaimPolicy, "ShelfAgentClaim");
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
        lock (_gate)
        {
            _issued[name] = IdentityKind.Claim;
        }

        Interlocked.Increment(ref _localVersion);
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

    /// <summary>Every MQTT operation of every client but the service, from the broker's log, in order.</summary>
    public IReadOnlyList<MqttOperation> Operations() =>
        [.. MosquittoLog.Parse(_broker.ReadLog().Split('\n')).Where(o => o.ClientId != ServiceIdentity)];

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
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
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
        _aclLock.Dispose();
        _dir.Dispose();
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var acl = _dir.File("acl");
        await File.WriteAllTextAsync(acl, "", cancellationToken);
        _broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions
        {
            Persistence = false,
            AclFile = acl,
            // Debug lines carry every CONNECT (client id, will), PUBLISH (topic, retain), SUBSCRIBE and delivery:
            // the record the policy contract test evaluates (MosquittoLog).
            ExtraLines = ["log_type debug", .. _options.ExtraBrokerLines],
        });
        lock (_gate)
        {
            _issued[ServiceIdentity] = IdentityKind.Service;
        }

        await ApplyAclAsync(cancellationToken);
        var service = Issue(ServiceIdentity, _broker.CertificateAuthority);
        _service = await MqttTestClient.ConnectAsync(Host, Port, CaFile, service.CertFile, service.KeyFile, ServiceIdentity, cancellationToken);
        foreach (var filter in ServiceFilters)
        {
            await _service.SubscribeAsync(filter, cancellationToken);
        }

        _loop = Task.Run(() => ServeAsync(_stop.Token), CancellationToken.None);
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

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        await foreach (var message in _service.Received.ReadAllAsync(cancellationToken))
        {
            try
            {
                var replies = Answer(message);
                // A thing registered or a certificate attached: the broker must allow it before the device hears "accepted".
                await ApplyAclAsync(cancellationToken);
                await PublishAsync(replies, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                lock (_gate)
                {
                    _faults.Add(e);
                }
            }
        }
    }

    private IReadOnlyList<IotReply> Answer(MqttApplicationMessage message)
    {
        var topic = message.Topic;
        var payload = message.Payload.IsSingleSegment ? message.Payload.FirstSpan : message.Payload.ToArray();
        if (FleetProvisioningApi.Handles(topic))
        {
            return Provisioning.Handle(topic, payload);
        }

        if (ShadowApi.Parse(topic) is not null)
        {
            return Shadows.Handle(topic, payload);
        }

        if (JobsApi.Parse(topic) is not null)
        {
            return Jobs.Handle(topic, payload);
        }

        return [];
    }

    private async Task PublishAsync(IReadOnlyList<IotReply> replies, CancellationToken cancellationToken)
    {
        foreach (var reply in replies)
        {
            await _service.PublishAsync(reply.Topic, reply.Payload.ToJsonString(), cancellationToken);
        }
    }

    /// <summary>Rewrites the ACL from the registry and reloads mosquitto, when something changed since the last time.</summary>
    private async Task ApplyAclAsync(CancellationToken cancellationToken)
    {
        await _aclLock.WaitAsync(cancellationToken);
        try
        {
            var version = Registry.Version + Interlocked.Read(ref _localVersion);
            if (version == _aclVersion)
            {
                return;
            }

            var text = MosquittoAcl.Render(Identities().Select(i => (i.CommonName, _access.Entries(i))));
            await File.WriteAllTextAsync(AclPath, text, Encoding.ASCII, cancellationToken);
            if (_broker.IsRunning)
            {
                await _broker.ReloadAsync(cancellationToken);
            }

            _aclVersion = version;
        }
        finally
        {
            _aclLock.Release();
        }
    }

    private string AclPath => _dir.File("acl");

    private List<BrokerIdentity> Identities()
    {
        var identities = new List<BrokerIdentity>();
        lock (_gate)
        {
            identities.AddRange(_issued.Select(i => new BrokerIdentity(i.Key, i.Value)));
        }

        foreach (var certificate in Registry.Certificates())
        {
            if (certificate is { Status: CertificateStatus.Active, Thing: { } thing } && Registry.Thing(thing) is { } registered)
            {
                identities.Add(new BrokerIdentity(certificate.CommonName, IdentityKind.Thing, registered));
            }
        }

        return [.. identities.DistinctBy(i => i.CommonName)];
    }
}

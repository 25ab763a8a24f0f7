using System.Globalization;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using ShelfAgent.Composition;
using ShelfAgent.Config;
using ShelfAgent.LocalIot;
using ShelfAgent.LocalIot.Broker;
using ShelfAgent.LocalIot.Pki;
using ShelfAgent.Tests.Integration.Transport;
using ShelfAgent.Transport;
using Xunit.Abstractions;
using DevCertificateAuthority = ShelfAgent.Security.DevCertificateAuthority;

namespace ShelfAgent.Tests.Integration;

/// <summary>
/// Everything an integration test stands on, started in one line and gone at the end of the test (README.md in this
/// folder): a real mosquitto over mutual TLS (its own, or a class's <see cref="SharedBroker"/>), certificates made in
/// the test, devices (identity + agent.json), the real shelf-agent process, independent subscribers, our MQTT client,
/// the local AWS IoT Core when asked; and what they said, for the failure message of a wait that did not end.
/// </summary>
public sealed class IntegrationEnvironment : IAsyncDisposable
{
    /// <summary>How long a wait may take on a loaded machine before the test fails: a bound, not a speed check.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public const string DefaultStore = "store-0042";

    private readonly TempDirectory _dir = new("it");
    private readonly ITestOutputHelper? _output;
    private readonly bool _ownsBroker;
    // Client ids of the environment's own helpers (subscribers, markers) differ from any other test's on a shared broker.
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..6];
    private readonly Lock _gate = new();
    private readonly List<AgentProcess> _agents = [];
    private readonly List<MosquittoSubscriber> _subscribers = [];
    private readonly List<IHost> _hosts = [];
    private MosquittoBroker? _broker;
    private LocalIotCore? _core;
    private OpenSslPki? _openSsl;
    private int _counter;

    private IntegrationEnvironment(ITestOutputHelper? output, MosquittoBroker? shared)
    {
        _output = output;
        _broker = shared;
        _ownsBroker = shared is null;
    }

    public MosquittoBroker Broker => _broker ?? throw new InvalidOperationException("the environment has not started");

    /// <summary>The local AWS IoT Core, when the environment was started with <see cref="IntegrationOptions.IotCore"/>.</summary>
    public LocalIotCore IotCore => _core ?? throw new InvalidOperationException("start the environment with IntegrationOptions.IotCore");

    /// <summary>The CA devices trust for the broker.</summary>
    public string CaFile => _openSsl?.CaFile ?? Broker.CaFile;

    /// <summary>The CA that signs the broker's and the devices' certificates, for certificates a test shapes itself.</summary>
    public CertificateAuthority Ca => Broker.CertificateAuthority;

    /// <summary>The test's own folder (0700), removed at the end.</summary>
    public string Folder => _dir.Path;

    /// <summary>
    /// On a class's shared broker (<c>StartAsync(shared)</c>), or on a broker of the test's own: plain, or with the local
    /// AWS IoT Core, an ACL, no persistence or openssl's certificates as <paramref name="options"/> ask.
    /// </summary>
    public static async Task<IntegrationEnvironment> StartAsync(IntegrationOptions? options = null, ITestOutputHelper? output = null)
    {
        options ??= new();
        var env = new IntegrationEnvironment(output, options.Shared?.Broker);
        if (options.Shared is not null)
        {
            return env;
        }

        try
        {
            if (options.IotCore is { } core)
            {
                env._core = await LocalIotCore.StartAsync(core);
                env._broker = env._core.Broker;
                return env;
            }

            string? acl = null;
            if (options.Acl is { } rules)
            {
                acl = env.File("acl");
                await System.IO.File.WriteAllLinesAsync(acl, rules);
            }

            env._openSsl = options.OpenSsl ? await OpenSslPki.CreateAsync(env.File("pki")) : null;
            env._broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions
            {
                Persistence = options.Persistence,
                AclFile = acl,
                ExternalPki = env._openSsl,
                ExtraLines = options.BrokerLines,
            });
            return env;
        }
        catch
        {
            await env.DisposeAsync();
            throw;
        }
    }

    public string File(string name) => _dir.File(name);

    /// <summary>A client certificate with CN <paramref name="clientId"/> from the broker's CA (or openssl's): PEM paths.</summary>
    public async Task<(string CertFile, string KeyFile)> IssueAsync(string clientId) =>
        _openSsl is { } pki ? await pki.IssueDeviceAsync(clientId) : Broker.IssueDevice(clientId);

    /// <summary>A CA the broker does not trust, named <paramref name="caName"/>, and a client certificate it signed.</summary>
    public (string CaFile, string CertFile, string KeyFile) ForeignIdentity(string caName, string clientId)
    {
        var folder = Directory.CreateDirectory(File($"foreign-{Next()}")).FullName;
        using var ca = DevCertificateAuthority.Create(caName);
        var caFile = Path.Combine(folder, "other-ca.crt");
        ca.WritePem(caFile, Path.Combine(folder, "other-ca.key"));
        using var issued = ca.IssueClient(clientId);
        var (cert, key) = (Path.Combine(folder, clientId + ".crt"), Path.Combine(folder, clientId + ".key"));
        issued.WritePem(cert, key);
        return (caFile, cert, key);
    }

    /// <summary>
    /// A device <paramref name="thing"/> in <paramref name="store"/>: a certificate (on the local AWS IoT Core: a
    /// registered thing and its certificate) unless <paramref name="identity"/> is given, and agent.json
    /// (<see cref="AgentJson"/> defaults for this broker, then <paramref name="configure"/>) in a folder of its own.
    /// </summary>
    public async Task<TestDevice> DeviceAsync(
        string thing, Action<AgentJson>? configure = null, string store = DefaultStore, (string CertFile, string KeyFile)? identity = null)
    {
        var (cert, key) = identity ?? await IdentityOfAsync(thing, store);
        var folder = Directory.CreateDirectory(File(thing)).FullName;
        var json = ForThisBroker(AgentJson.Defaults(store, Path.Combine(folder, "outbox.db")))
            .Set("Device:ThingName", thing)
            .Set("Mqtt:CertFile", cert)
            .Set("Mqtt:KeyFile", key);
        configure?.Invoke(json);
        return new TestDevice(thing, store, cert, key, folder, json);
    }

    /// <summary>
    /// A device before provisioning on the local AWS IoT Core: agent.json with the endpoint, store, buffer and one
    /// simulated slot but no identity, and a claim certificate, as a technician would have them.
    /// </summary>
    public async Task<ProvisionedDevice> ClaimDeviceAsync(string store = "store-7")
    {
        var claim = await IotCore.IssueClaimCertificateAsync();
        var folder = Directory.CreateDirectory(File($"device-{Next()}")).FullName;
        var json = ForThisBroker(AgentJson.Defaults(store, Path.Combine(folder, "outbox.db"), slots: 1))
            .Set("Sampling:IntervalMs", 200)
            .Set("Publish:IntervalMs", 500);
        return new ProvisionedDevice(folder, json.WriteTo(Path.Combine(folder, "agent.json")), claim, store);
    }

    /// <summary>The real shelf-agent running <paramref name="device"/>'s agent.json; killed at the end of the test.</summary>
    public AgentProcess StartAgent(TestDevice device, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<string>? ownPidVariables = null) =>
        StartAgent(["run", "--config", device.Config], environment, ownPidVariables);

    /// <summary>
    /// The real shelf-agent with any command line (the build output, or an installed <paramref name="executable"/>); killed
    /// at the end of the test.
    /// </summary>
    public AgentProcess StartAgent(
        string[] args, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<string>? ownPidVariables = null, string? executable = null)
    {
        var agent = AgentProcess.Start(args, environment, ownPidVariables, executable);
        lock (_gate)
        {
            _agents.Add(agent);
        }

        return agent;
    }

    /// <summary>The agent's own composition in this process (for a test that reaches into its services).</summary>
    public async Task<IHost> StartHostAsync(AgentOptions options)
    {
        var host = await AgentComposition.BuildHostAsync(options, NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);
        lock (_gate)
        {
            _hosts.Add(host);
        }

        await host.StartAsync();
        return host;
    }

    /// <summary>An independent subscriber (mosquitto_sub, persistent session, QoS 1) with a client id of its own.</summary>
    public async Task<MosquittoSubscriber> SubscribeAsync(string filter)
    {
        var clientId = $"sub-{Next()}-{_suffix}";
        // On a plain broker the subscriber stands in for the cloud's telemetry rule (the agent publishes telemetry through
        // Basic Ingest by default); the local AWS IoT Core stands in itself, republishing on the plain topic.
        var subscriber = await MosquittoSubscriber.StartAsync(Broker, filter, clientId, await IssueAsync(clientId), basicIngest: _core is null);
        lock (_gate)
        {
            _subscribers.Add(subscriber);
        }

        return subscriber;
    }

    /// <summary>
    /// Publishes <paramref name="payload"/> on <paramref name="topic"/> at QoS 1 from a client of its own (mosquitto_pub).
    /// As a marker it proves a negative without waiting for time: the broker delivers in order, so once a subscriber has
    /// the marker it has everything published before it.
    /// </summary>
    public async Task PublishAsync(string topic, string payload)
    {
        var clientId = $"pub-{Next()}-{_suffix}";
        await MosquittoPublisher.PublishAsync(Broker.Host, Broker.Port, CaFile, await IssueAsync(clientId), clientId, topic, payload);
    }

    /// <summary>Options for our MQTT client with a certificate for <paramref name="clientId"/>, no rate limits.</summary>
    public MqttTransportOptions ClientOptions(string clientId, KeyKind kind = KeyKind.EcP256, KeyEncoding encoding = KeyEncoding.Pkcs8) =>
        TestTransports.Options(Broker, clientId, kind, encoding);

    /// <summary>Our MQTT client, logging to the test's output.</summary>
    public MqttTransport Client(MqttTransportOptions options) => TestTransports.Create(options, _output);

    /// <summary>Stops the broker (an outage); only an environment's own broker may be stopped.</summary>
    public Task StopBrokerAsync() => OwnBroker().StopAsync();

    /// <summary>Starts the stopped broker again on the same port.</summary>
    public Task StartBrokerAgainAsync() => OwnBroker().StartAgainAsync();

    /// <summary>
    /// Waits (bounded) for <paramref name="condition"/>; fails with <paramref name="describe"/>, the test's own
    /// <paramref name="diagnostic"/> and the environment's <see cref="Diagnostics"/>.
    /// </summary>
    public Task UntilAsync(Func<bool> condition, string describe, TimeSpan? bound = null, Func<string>? diagnostic = null) =>
        Eventually.UntilAsync(condition, bound ?? Bound, describe, () => diagnostic?.Invoke() + "\n" + Diagnostics());

    /// <summary>What the environment's processes said: each agent's output, subscriber errors, service faults, the broker's log.</summary>
    public string Diagnostics()
    {
        var text = new StringBuilder();
        lock (_gate)
        {
            foreach (var agent in _agents)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"--- shelf-agent {agent.Arguments} ({(agent.HasExited ? "exited" : "running")}):")
                    .AppendLine(agent.Output);
            }

            foreach (var subscriber in _subscribers.Where(s => s.Errors.Length > 0))
            {
                text.AppendLine("--- mosquitto_sub:").AppendLine(subscriber.Errors);
            }
        }

        if (_core is { Faults.Count: > 0 } core)
        {
            text.AppendLine("--- local AWS IoT Core faults:").AppendLine(string.Join('\n', core.Faults));
        }

        if (_broker is { } broker)
        {
            text.AppendLine("--- mosquitto log, last 100 lines:").AppendJoin('\n', broker.ReadLog().Split('\n').TakeLast(100));
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            await ((IAsyncDisposable)host).DisposeAsync();
        }

        foreach (var agent in _agents)
        {
            if (agent.Output.Length > 0)
            {
                WriteToOutput($"--- shelf-agent {agent.Arguments}:\n{agent.Output}");
            }

            await agent.DisposeAsync();
        }

        foreach (var subscriber in _subscribers)
        {
            await subscriber.DisposeAsync();
        }

        if (_ownsBroker)
        {
            await (_core is not null ? _core.DisposeAsync() : _broker?.DisposeAsync() ?? ValueTask.CompletedTask);
        }

        _dir.Dispose();
    }

    private void WriteToOutput(string text)
    {
        try
        {
            _output?.WriteLine(text);
        }
        catch (InvalidOperationException)
        {
            // xunit refuses output once the test has been reported.
        }
    }

    private AgentJson ForThisBroker(AgentJson json) => json
        .Set("Mqtt:Host", Broker.Host)
        .Set("Mqtt:Port", Broker.Port)
        .Set("Mqtt:CaFile", CaFile);

    private async Task<(string CertFile, string KeyFile)> IdentityOfAsync(string thing, string store)
    {
        if (_core is not { } core)
        {
            return await IssueAsync(thing);
        }

        await core.RegisterThingAsync(thing, new Dictionary<string, string> { ["storeId"] = store });
        var identity = await core.IssueThingCertificateAsync(thing);
        return (identity.CertFile, identity.KeyFile);
    }

    private MosquittoBroker OwnBroker() => _ownsBroker
        ? Broker
        : throw new InvalidOperationException(
            "a shared broker stays up: give the test an environment of its own (IntegrationEnvironment.StartAsync()) to stop it");

    private int Next() => Interlocked.Increment(ref _counter);
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using ShelfAgent.IotCore;
using ShelfAgent.Tests.Fakes;
using ShelfAgent.Transport;

namespace ShelfAgent.Tests.IotCore.Provisioning;

/// <summary>
/// The fleet provisioning API as documented (create-from-csr signs the CSR and returns an ownership token;
/// RegisterThing takes the token once, within its lifetime, and the template's ThingName parameter), over
/// <see cref="FakeMqttSession"/>, plus the broker's connection check. Tests can make it refuse, or "kill" the
/// client at a chosen point by throwing <see cref="SimulatedKillException"/> out of a publish or a connect.
/// </summary>
public sealed class FakeProvisioningCloud : IIotConnector, IDisposable
{
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _ca;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (string CertificateId, DateTimeOffset Expires, bool Used)> _tokens = new(StringComparer.Ordinal);

    public FakeProvisioningCloud(TimeProvider time)
    {
        _time = time;
        _ca = new CertificateRequest("CN=Fake IoT CA", _caKey, HashAlgorithmName.SHA256)
            .CreateSelfSigned(time.GetUtcNow().AddDays(-1), time.GetUtcNow().AddYears(1));
    }

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Every connect: client id and certificate file.</summary>
    public ConcurrentQueue<IotIdentity> Connects { get; } = new();

    /// <summary>Every request topic published, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Certificate ids attached to a thing by RegisterThing.</summary>
    public ConcurrentDictionary<string, string> Attached { get; } = new(StringComparer.Ordinal);

    /// <summary>A rejection for create-from-csr (statusCode, errorCode, errorMessage), or null.</summary>
    public (int, string, string)? RejectCsr { get; set; }

    /// <summary>A rejection for RegisterThing, or null.</summary>
    public (int, string, string)? RejectRegister { get; set; }

    /// <summary>Client ids the broker refuses (CONNACK not authorized).</summary>
    public HashSet<string> RefusedClients { get; } = new(StringComparer.Ordinal);

    /// <summary>Called before a request is answered: throw <see cref="SimulatedKillException"/> to "kill" the device there.</summary>
    public Action<string, KillPoint>? Kill { get; set; }

    public async Task<IIotConnection> ConnectAsync(IotIdentity identity, CancellationToken cancellationToken)
    {
        Connects.Enqueue(identity);
        Kill?.Invoke(identity.ClientId, KillPoint.Connect);
        if (RefusedClients.Contains(identity.ClientId))
        {
            throw new MqttConnectionRefusedException(135, "Not authorized");
        }

        // The TLS handshake would fail for a certificate that is not the key's.
        using var pair = X509Certificate2.CreateFromPemFile(identity.CertFile, identity.KeyFile);
        var connection = new Connection();
        Serve(connection.Session);
        await Task.CompletedTask;
        return connection;
    }

    /// <summary>Answers the provisioning requests published on <paramref name="session"/> (a device's own session).</summary>
    public void Serve(FakeMqttSession session) => session.OnPublish = (topic, payload) => AnswerAsync(session, topic, payload);

    private async ValueTask AnswerAsync(FakeMqttSession session, string topic, string payload)
    {
        Requests.Enqueue(topic);
        Kill?.Invoke(topic, KillPoint.BeforeAnswer);
        var request = JsonNode.Parse(payload)!.AsObject();
        JsonObject reply;
        bool accepted;
        if (topic == "$aws/certificates/create-from-csr/json")
        {
            (accepted, reply) = RejectCsr is { } r ? (false, Error(r)) : (true, Sign((string)request["certificateSigningRequest"]!));
        }
        else
        {
            (accepted, reply) = RejectRegister is { } r ? (false, Error(r)) : Register(request);
        }

        Kill?.Invoke(topic, KillPoint.AfterAnswer);
        await session.DeliverAsync(topic + (accepted ? "/accepted" : "/rejected"), reply.ToJsonString());
    }

    private JsonObject Sign(string csr)
    {
        var request = CertificateRequest.LoadSigningRequestPem(csr, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default, RSASignaturePadding.Pkcs1);
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var certificate = request.Create(
            _ca.SubjectName, X509SignatureGenerator.CreateForECDsa(_caKey), _time.GetUtcNow().AddMinutes(-5), _time.GetUtcNow().AddYears(1), serial);
        var id = Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        _tokens[token] = (id, _time.GetUtcNow() + TokenLifetime, false);
        return new JsonObject { ["certificateId"] = id, ["certificatePem"] = certificate.ExportCertificatePem() + "\n", ["certificateOwnershipToken"] = token };
    }

    private (bool, JsonObject) Register(JsonObject request)
    {
        var token = (string?)request["certificateOwnershipToken"] ?? "";
        if (!_tokens.TryGetValue(token, out var entry) || entry.Used || entry.Expires <= _time.GetUtcNow())
        {
            return (false, Error((400, "InvalidCertificateOwnershipToken", "Certificate ownership token is invalid or expired.")));
        }

        var thing = (string?)request["parameters"]?["ThingName"];
        if (string.IsNullOrEmpty(thing))
        {
            return (false, Error((400, "InvalidParameters", "Missing required parameters: ThingName")));
        }

        _tokens[token] = entry with { Used = true };
        Attached[entry.CertificateId] = thing;
        return (true, new JsonObject { ["deviceConfiguration"] = new JsonObject(), ["thingName"] = thing });
    }

    private static JsonObject Error((int Status, string Code, string Message) e) =>
        new() { ["statusCode"] = e.Status, ["errorCode"] = e.Code, ["errorMessage"] = e.Message };

    public void Dispose()
    {
        _ca.Dispose();
        _caKey.Dispose();
    }

    private sealed class Connection : IIotConnection
    {
        public FakeMqttSession Session { get; } = new();

        public Task<MQTTnet.Protocol.MqttQualityOfServiceLevel?[]> SubscribeAsync(
            string filter,
            MQTTnet.Protocol.MqttQualityOfServiceLevel qos,
            Func<MQTTnet.MqttApplicationMessage, ValueTask> handler,
            CancellationToken cancellationToken)
            => Session.SubscribeAsync(filter, qos, handler, cancellationToken);

        public Task UnsubscribeAsync(string filter, CancellationToken cancellationToken) => Session.UnsubscribeAsync(filter, cancellationToken);

        public Task PublishRequestAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
            => Session.PublishRequestAsync(topic, payload, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>Where <see cref="FakeProvisioningCloud.Kill"/> is asked.</summary>
public enum KillPoint
{
    Connect,
    BeforeAnswer,
    AfterAnswer,
}

/// <summary>Stands for the process being killed: nothing after the throw point runs.</summary>
public sealed class SimulatedKillException : Exception
{
    public SimulatedKillException()
        : base("killed")
    {
    }

    public SimulatedKillException(string message)
        : base(message)
    {
    }

    public SimulatedKillException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Protocol;
using ShelfAgent.LocalIot.Pki;
using ShelfAgent.Transport;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration.Transport;

/// <summary>
/// A device certificate issued by an intermediate CA (a CA registered in multi-account mode, a fleet's own intermediate):
/// mosquitto's cafile holds only the root, so the broker accepts the device only when the agent sends the intermediate
/// after the leaf, as <c>Mqtt:CertFile</c> holds them.
/// </summary>
public sealed class ClientCertificateChainTests(SharedBroker shared, ITestOutputHelper output) : IClassFixture<SharedBroker>
{
    [Fact]
    public async Task Connects_when_the_certificate_file_holds_the_leaf_and_its_intermediate()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared, output);
        var options = env.ClientOptions("shelf-chain-01");
        (options.CertFile, options.KeyFile) = IssueThroughIntermediate(env, "shelf-chain-01", withIntermediate: true);
        await using var client = env.Client(options);

        await client.ConnectOnceAsync(TestTransports.Patience());
        await client.PublishAsync(
            "dt/shelf/s1/shelf-chain-01/telemetry", "chained"u8.ToArray(), MqttQualityOfServiceLevel.AtLeastOnce, false, TestTransports.Patience());

        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Is_refused_by_the_broker_when_the_certificate_file_holds_the_leaf_alone()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared, output);
        var options = env.ClientOptions("shelf-chain-02");
        (options.CertFile, options.KeyFile) = IssueThroughIntermediate(env, "shelf-chain-02", withIntermediate: false);
        await using var client = env.Client(options);

        var e = await Assert.ThrowsAsync<MqttTlsException>(() => client.ConnectOnceAsync(TestTransports.Patience()));

        output.WriteLine(e.ToString());
        Assert.Equal(MqttTlsFailure.ClientCertificateRejected, e.Failure);
    }

    /// <summary>An intermediate CA signed by the broker's root, and a device certificate it signed: the PEM paths.</summary>
    private static (string CertFile, string KeyFile) IssueThroughIntermediate(IntegrationEnvironment env, string clientId, bool withIntermediate)
    {
        var (intermediateCert, intermediateKey) = (env.File($"{clientId}-intermediate.crt"), env.File($"{clientId}-intermediate.key"));
        using (var intermediate = IntermediateOf(env.Ca, $"{clientId} intermediate CA"))
        {
            intermediate.WritePem(intermediateCert, intermediateKey);
        }

        using var ca = CertificateAuthority.Load(intermediateCert, intermediateKey);
        using var device = ca.IssueClient(clientId);
        var (certFile, keyFile) = (env.File($"{clientId}.crt"), env.File($"{clientId}.key"));
        device.WritePem(certFile, keyFile);
        if (withIntermediate)
        {
            File.AppendAllText(certFile, File.ReadAllText(intermediateCert));
        }

        return (certFile, keyFile);
    }

    private static IssuedCertificate IntermediateOf(CertificateAuthority root, string commonName)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root.Certificate, true, false));
        var signer = root.Key is RSA rsa
            ? X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1)
            : X509SignatureGenerator.CreateForECDsa((ECDsa)root.Key);
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        var now = DateTimeOffset.UtcNow;
        var certificate = request.Create(root.Certificate.SubjectName, signer, now.AddDays(-1), now.AddDays(30), serial);
        return new IssuedCertificate(certificate, key);
    }
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using ShelfAgent.LocalIot.Pki;
using ShelfAgent.LocalIot.Registry;

namespace ShelfAgent.LocalIot.Provisioning;

/// <summary>
/// The fleet provisioning MQTT API (developer guide "Device provisioning MQTT API"), JSON payload format only:
/// <c>$aws/certificates/create-from-csr/json</c> → {certificateId, certificatePem, certificateOwnershipToken};
/// <c>$aws/provisioning-templates/{name}/provision/json</c> {certificateOwnershipToken, parameters} →
/// {deviceConfiguration, thingName}; errors {statusCode, errorCode, errorMessage} on …/rejected. A certificate made
/// from a CSR is PENDING_ACTIVATION until RegisterThing; its ownership token expires (1 h on AWS).
/// Pure over its inputs: the clock and the signing CA are given.
/// </summary>
public sealed class FleetProvisioningApi(IotRegistry registry, Func<CertificateAuthority> signer, TimeProvider time, TimeSpan tokenLifetime)
{
    public const string CreateFromCsrTopic = "$aws/certificates/create-from-csr/json";
    private const string TemplatePrefix = "$aws/provisioning-templates/";
    private const string TemplateSuffix = "/provision/json";
    private readonly ConcurrentDictionary<string, ProvisioningTemplate> _templates = new(StringComparer.Ordinal);

    /// <summary>Certificate lifetime of what create-from-csr issues.</summary>
    public TimeSpan CertificateLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// Refuses create-from-csr when it returns a rejection (LocalIotCoreOptions.CsrRefusal): given the CSR's PEM, as AWS
    /// refuses a key it does not support or a CSR it will not sign. Null (the default) signs every valid CSR.
    /// </summary>
    public Func<string, IotRejection?>? CsrRefusal { get; init; }

    public void AddTemplate(ProvisioningTemplate template) => _templates[template.Name] = template;

    /// <summary>Whether the topic is one this API answers.</summary>
    public static bool Handles(string topic) =>
        topic == CreateFromCsrTopic || (topic.StartsWith(TemplatePrefix, StringComparison.Ordinal) && topic.EndsWith(TemplateSuffix, StringComparison.Ordinal));

    public IReadOnlyList<IotReply> Handle(string topic, ReadOnlySpan<byte> payload)
    {
        JsonObject? request;
        try
        {
            request = JsonNode.Parse(payload) as JsonObject;
        }
        catch (JsonException)
        {
            request = null;
        }

        if (topic == CreateFromCsrTopic)
        {
            return [CreateFromCsr(topic, request)];
        }

        var name = topic[TemplatePrefix.Length..^TemplateSuffix.Length];
        return [RegisterThing(topic, name, request)];
    }

    private IotReply CreateFromCsr(string topic, JsonObject? request)
    {
        if (request?["certificateSigningRequest"] is not JsonValue csrNode || csrNode.GetValueKind() != JsonValueKind.String)
        {
            return Rejected(topic, new IotRejection(400, "InvalidPayload", "certificateSigningRequest is required"));
        }

        if (CsrRefusal?.Invoke(csrNode.GetValue<string>()) is { } refusal)
        {
            // Developer guide "Device provisioning MQTT API", CreateCertificateFromCsr error response:
            // {statusCode, errorCode, errorMessage} on …/create-from-csr/json/rejected.
            return Rejected(topic, refusal);
        }

        try
        {
            using var certificate = CsrSigner.Sign(csrNode.GetValue<string>(), signer(), time.GetUtcNow(), CertificateLifetime);
            var id = CsrSigner.CertificateId(certificate);
            var pem = certificate.ExportCertificatePem() + "\n";
            var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
            registry.AddCertificate(new IotCertificate(id, pem, certificate.GetNameInfo(X509NameType.SimpleName, false))
            {
                OwnershipToken = token,
                OwnershipTokenExpires = time.GetUtcNow() + tokenLifetime,
            });
            return Accepted(topic, new JsonObject
            {
                ["certificateId"] = id,
                ["certificatePem"] = pem,
                ["certificateOwnershipToken"] = token,
            });
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return Rejected(topic, new IotRejection(400, "InvalidCsr", "The certificate signing request is not valid: " + e.Message));
        }
    }

    private IotReply RegisterThing(string topic, string templateName, JsonObject? request)
    {
        if (!_templates.TryGetValue(templateName, out var template))
        {
            return Rejected(topic, new IotRejection(404, "ResourceNotFound", $"Template {templateName} not found"));
        }

        if (request?["certificateOwnershipToken"] is not JsonValue tokenNode || tokenNode.GetValueKind() != JsonValueKind.String
            || tokenNode.GetValue<string>().Length == 0)
        {
            return Rejected(topic, new IotRejection(400, "InvalidCertificateOwnershipToken", "Certificate ownership token cannot be empty."));
        }

        var certificate = registry.CertificateByToken(tokenNode.GetValue<string>());
        if (certificate is null || certificate.OwnershipTokenExpires <= time.GetUtcNow())
        {
            return Rejected(topic, new IotRejection(400, "InvalidCertificateOwnershipToken", "Certificate ownership token is invalid or expired."));
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request["parameters"] is JsonObject given)
        {
            foreach (var (key, value) in given)
            {
                if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                {
                    parameters[key] = v.GetValue<string>();
                }
            }
        }

        var missing = template.RequiredParameters.Where(p => !parameters.ContainsKey(p)).ToList();
        if (missing.Count > 0)
        {
            return Rejected(topic, new IotRejection(400, "InvalidParameters", "Missing required parameters: " + string.Join(", ", missing)));
        }

        if (template.Hook?.Invoke(parameters) is { } refusal)
        {
            return Rejected(topic, refusal);
        }

        if (!parameters.TryGetValue(template.ThingNameParameter, out var thingName) || thingName.Length == 0)
        {
            return Rejected(topic, new IotRejection(400, "InvalidParameters", $"Parameter {template.ThingNameParameter} names no thing"));
        }

        var attributes = new Dictionary<string, string>(registry.Thing(thingName)?.Attributes ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (attribute, parameter) in template.AttributesFromParameters)
        {
            if (parameters.TryGetValue(parameter, out var value))
            {
                attributes[attribute] = value;
            }
        }

        registry.PutThing(new RegisteredThing(thingName, attributes));
        registry.Attach(certificate.Id, thingName);
        var configuration = new JsonObject();
        foreach (var (key, value) in template.DeviceConfiguration)
        {
            configuration[key] = value;
        }

        return Accepted(topic, new JsonObject { ["deviceConfiguration"] = configuration, ["thingName"] = thingName });
    }

    private static IotReply Accepted(string topic, JsonObject payload) => new(topic + "/accepted", payload);

    private static IotReply Rejected(string topic, IotRejection rejection) => new(topic + "/rejected", new JsonObject
    {
        ["statusCode"] = rejection.StatusCode,
        ["errorCode"] = rejection.ErrorCode,
        ["errorMessage"] = rejection.ErrorMessage,
    });
}

using System.Security.Cryptography;

namespace ShelfAgent.IotCore.Provisioning;

/// <summary>
/// The two fleet provisioning calls, shared by <c>provision</c> (over the claim's connection) and certificate rotation
/// (over the device's own): CreateCertificateFromCsr and RegisterThing (Developer Guide, "Fleet provisioning MQTT API").
/// </summary>
public sealed class ProvisioningCalls(AwsIotRequester requester, TimeSpan timeout)
{
    /// <summary>Sends a CSR for <paramref name="key"/>; the issued certificate, or AWS's rejection.</summary>
    /// <exception cref="TimeoutException">No answer.</exception>
    /// <exception cref="InvalidDataException">An accepted answer without the documented fields, or for another key.</exception>
    public async Task<(IssuedCertificate? Certificate, AwsIotError? Error)> CreateFromCsrAsync(
        AsymmetricAlgorithm key, string commonName, CancellationToken cancellationToken)
    {
        var csr = CertificateSigningRequest.Build(key, commonName);
        var reply = await requester.RequestAsync(
            ProvisioningPayloads.CreateFromCsrTopic, ProvisioningPayloads.CreateFromCsrRequest(csr), null, timeout, cancellationToken).ConfigureAwait(false);
        if (!reply.Accepted)
        {
            return (null, reply.Error);
        }

        if (!ProvisioningPayloads.TryReadIssuedCertificate(reply.Payload.Span, out var issued))
        {
            throw new InvalidDataException("create-from-csr was accepted without certificateId, certificatePem and certificateOwnershipToken.");
        }

        if (!CertificateSigningRequest.Matches(issued.CertificatePem, key))
        {
            throw new InvalidDataException($"create-from-csr returned certificate {issued.CertificateId}, which is not for this device's key.");
        }

        return (issued, null);
    }

    /// <summary>RegisterThing with the ownership token and template parameters; the thing, or AWS's rejection.</summary>
    /// <exception cref="TimeoutException">No answer.</exception>
    /// <exception cref="InvalidDataException">An accepted answer without <c>thingName</c>.</exception>
    public async Task<(RegisteredThing? Thing, AwsIotError? Error)> RegisterThingAsync(
        string templateName, string ownershipToken, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        var topic = ProvisioningPayloads.RegisterThingTopic(templateName);
        var reply = await requester.RequestAsync(topic, ProvisioningPayloads.RegisterThingRequest(ownershipToken, parameters), null, timeout, cancellationToken)
            .ConfigureAwait(false);
        if (!reply.Accepted)
        {
            return (null, reply.Error);
        }

        if (!ProvisioningPayloads.TryReadRegisteredThing(reply.Payload.Span, out var thing))
        {
            throw new InvalidDataException("RegisterThing was accepted without a thingName.");
        }

        return (thing, null);
    }

    /// <summary>AWS's error code for a used, unknown or expired ownership token (a new certificate fixes it).</summary>
    public static bool IsTokenError(AwsIotError? error) =>
        error?.ErrorCode is { } code && code.Contains("OwnershipToken", StringComparison.OrdinalIgnoreCase);
}
